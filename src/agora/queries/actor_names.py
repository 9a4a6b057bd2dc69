"""People and communities by the names members write: `name` for ours, `name@host` for another server's."""

from __future__ import annotations

from sqlalchemy import FromClause, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Instance


async def find_id(session: AsyncSession, actors: FromClause, local_instance_id: int, name: str) -> int | None:
    """The id of the actor in `actors` (the person or community table) named `name` here, or `name@host` on
    another server (if already known); names match whatever their case."""
    if "@" in name:
        short, host = name.split("@", 1)
        query = (
            select(actors.c.id)
            .join(Instance, Instance.id == actors.c.instance_id)
            .where(func.lower(actors.c.name) == short.lower(), func.lower(Instance.domain) == host.lower())
        )
    else:
        query = select(actors.c.id).where(
            actors.c.instance_id == local_instance_id, func.lower(actors.c.name) == name.lower()
        )
    return (await session.execute(query)).scalar_one_or_none()
