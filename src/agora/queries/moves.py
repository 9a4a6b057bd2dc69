"""An account's move state: its aliases and where it moved to, with our id of the new account when we hold it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Person


@dataclass(frozen=True, slots=True)
class MoveItem:
    person_id: int
    actor_id: str
    also_known_as: list[str]
    moved_to: str | None
    moved_to_person_id: int | None


async def of_person(session: AsyncSession, person_id: int) -> MoveItem | None:
    query = select(Person.id, Person.actor_id, Person.also_known_as, Person.moved_to).where(Person.id == person_id)
    row = (await session.execute(query)).first()
    if row is None:
        return None
    moved_to_id = None
    if row.moved_to:
        found = select(Person.id).where(Person.actor_id == row.moved_to)
        moved_to_id = (await session.execute(found)).scalar_one_or_none()
    aliases = [line for line in (row.also_known_as or "").splitlines() if line]
    return MoveItem(row.id, row.actor_id, aliases, row.moved_to, moved_to_id)
