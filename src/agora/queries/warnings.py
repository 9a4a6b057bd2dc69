"""A person's warnings, newest first, for themselves and for moderators deciding on a ban."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import CommunityModerator, PersonWarning
from agora.queries import rows
from agora.queries.rows import Row

W = PersonWarning.__table__


@dataclass(slots=True)
class WarningItem:
    warning: Row
    person: Row
    moderator: Row | None
    community: Row


async def for_person(
    session: AsyncSession, person_id: int, *, moderated_by: int | None, page: int, limit: int, show_moderator: bool
) -> tuple[list[WarningItem], int]:
    """Warnings given to `person_id` (only in communities `moderated_by` moderates, when set) and their count."""
    where = [W.c.person_id == person_id]
    if moderated_by is not None:
        where.append(
            W.c.community_id.in_(
                select(CommunityModerator.community_id).where(CommunityModerator.person_id == moderated_by)
            )
        )
    total = (await session.execute(select(func.count()).select_from(W).where(*where))).scalar_one()
    query = select(W).where(*where).order_by(W.c.published.desc(), W.c.id.desc()).limit(limit)
    found = [dict(r) for r in (await session.execute(query.offset((page - 1) * limit))).mappings()]
    people = await rows.persons(session, [person_id] + [w["mod_person_id"] for w in found])
    communities = await rows.communities(session, [w["community_id"] for w in found])
    views = [
        WarningItem(
            warning=w if show_moderator else {**w, "mod_person_id": 0},
            person=people[person_id],
            moderator=people.get(w["mod_person_id"]) if show_moderator else None,
            community=communities[w["community_id"]],
        )
        for w in found
    ]
    return views, total


async def moderates_any(session: AsyncSession, person_id: int) -> bool:
    query = select(CommunityModerator.id).where(CommunityModerator.person_id == person_id).limit(1)
    return (await session.execute(query)).first() is not None
