"""A member's own on/off rows (saves, hides, blocks): one upsert-or-delete that moves the member's viewer version."""

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db import upsert, viewer_versions
from agora.db.base import Base


async def set_mark(session: AsyncSession, model: type[Base], person_id: int, on: bool, **target: int) -> None:
    """Make the member's row of `model` naming `target` (column → id) exist or not; idempotent either way.

    The rows are the member's, so the statement carries their viewer version (db.viewer_versions) and their cached
    pages go stale with it."""
    whose = viewer_versions.of_person(person_id)
    if on:
        insert = upsert.insert(session, model).values(person_id=person_id, published=now(), **target)
        await session.execute(insert.on_conflict_do_nothing(), execution_options=whose)
    else:
        table = model.__table__
        match = [table.c.person_id == person_id, *(table.c[column] == value for column, value in target.items())]
        await session.execute(delete(table).where(*match), execution_options=whose)
