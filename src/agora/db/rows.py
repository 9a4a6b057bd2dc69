"""Reading one row by its id, or saying it is missing: the shape of every `get_*` reader of the domain."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.base import Base
from agora.errors import AgoraError

Row = TypeVar("Row", bound=Base)


async def get_row(
    session: AsyncSession, model: type[Row], row_id: int, missing: AgoraError, *, lock: bool = False
) -> Row:
    """The `model` row with this id, or `missing` raised. `lock`: FOR NO KEY UPDATE (foreign-key checks may still
    share it), and the row as locked replaces any copy the session read before."""
    query = select(model).where(model.__table__.c.id == row_id)
    if lock:
        query = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise missing
    return row
