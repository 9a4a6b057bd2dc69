"""UPDATE and DELETE statements that answer how many rows they changed."""

from __future__ import annotations

from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import UpdateBase


async def rows_changed(session: AsyncSession, statement: UpdateBase) -> int:
    """Run `statement`; how many rows it changed (0 when the driver cannot tell)."""
    result = await session.execute(statement)
    if not isinstance(result, CursorResult):  # what a DML statement answers; the session's signature says less
        raise TypeError(f"{type(result).__name__} from an UPDATE or DELETE")
    return result.rowcount or 0
