"""Atomic counter updates (`col = col + n`), so concurrent writers never lose an increment.

Lock order across a transaction, to keep PostgreSQL free of deadlocks: comment → post → person → community → site.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession


async def bump(session: AsyncSession, model, row_id: int, **deltas: int) -> None:
    values = {name: getattr(model, name) + delta for name, delta in deltas.items() if delta}
    if values:
        await session.execute(update(model).where(model.id == row_id).values(**values))


async def bump_many(session: AsyncSession, model, row_ids: list[int], **deltas: int) -> None:
    values = {name: getattr(model, name) + delta for name, delta in deltas.items() if delta}
    if values and row_ids:
        await session.execute(update(model).where(model.id.in_(sorted(row_ids))).values(**values))
