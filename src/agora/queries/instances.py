"""The servers this instance knows of (itself included), for the instance list page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Instance
from agora.queries.rows import Row

INSTANCE = Instance.__table__


async def known(session: AsyncSession, *, limit: int = 500) -> list[Row]:
    query = select(INSTANCE).order_by(INSTANCE.c.domain).limit(limit)
    return [dict(row) for row in (await session.execute(query)).mappings()]
