"""An account's or community's move state: its aliases and where it moved to, with our id of the new one when we
hold it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Community, Person


@dataclass(frozen=True, slots=True)
class MoveItem:
    id: int
    actor_id: str
    also_known_as: list[str]
    moved_to: str | None
    moved_to_id: int | None


async def _of(session: AsyncSession, model: type[Person] | type[Community], row_id: int) -> MoveItem | None:
    query = select(model.id, model.actor_id, model.also_known_as, model.moved_to).where(model.id == row_id)
    row = (await session.execute(query)).first()
    if row is None:
        return None
    moved_to_id = None
    if row.moved_to:
        found = select(model.id).where(model.actor_id == row.moved_to)
        moved_to_id = (await session.execute(found)).scalar_one_or_none()
    aliases = [line for line in (row.also_known_as or "").splitlines() if line]
    return MoveItem(row.id, row.actor_id, aliases, row.moved_to, moved_to_id)


async def of_person(session: AsyncSession, person_id: int) -> MoveItem | None:
    return await _of(session, Person, person_id)


async def of_community(session: AsyncSession, community_id: int) -> MoveItem | None:
    return await _of(session, Community, community_id)
