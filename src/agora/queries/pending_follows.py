"""Follows of Private communities for their moderators to decide: the list (newest first) and its count."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Community, CommunityFollower, CommunityModerator, Person
from agora.queries import rows
from agora.queries.rows import Row
from agora.queries.viewer import Viewer
from agora.queries.visibility import PRIVATE

F = CommunityFollower.__table__
COMM = Community.__table__


@dataclass(frozen=True, slots=True)
class PendingFollowFilter:
    pending_only: bool = True
    all_communities: bool = False  # an admin's view of every Private community of ours, not only those they moderate
    community_id: int | None = None
    limit: int = 20
    cursor_id: int | None = None  # keyset paging: the follows after this one
    page_back: bool = False  # with `cursor_id`: the follows just before it, still newest first


@dataclass(slots=True)
class PendingFollowItem:
    follow_id: int
    person: Row
    community: Row
    pending: bool
    is_new_instance: bool  # no one else of the follower's instance follows the community (accepted)


def _where(viewer: Viewer, f: PendingFollowFilter) -> list[ColumnElement[bool]]:
    mod = CommunityModerator.__table__
    where: list[ColumnElement[bool]] = [COMM.c.local.is_(True), COMM.c.visibility == PRIVATE]
    if not (f.all_communities and viewer.admin):
        where.append(exists().where(mod.c.community_id == F.c.community_id, mod.c.person_id == viewer.person_id))
    if f.pending_only:
        where.append(F.c.pending.is_(True))
    if f.community_id is not None:
        where.append(F.c.community_id == f.community_id)
    return where


async def pending_follows(session: AsyncSession, viewer: Viewer, f: PendingFollowFilter) -> list[PendingFollowItem]:
    """The follows of the Private communities `viewer` moderates (every one for an admin asking for all)."""
    query = select(F.c.id, F.c.person_id, F.c.community_id, F.c.pending).join(COMM, COMM.c.id == F.c.community_id)
    query = query.where(*_where(viewer, f))
    if f.cursor_id is not None:
        query = query.where(F.c.id > f.cursor_id if f.page_back else F.c.id < f.cursor_id)
    query = query.order_by(F.c.id.asc() if f.page_back else F.c.id.desc()).limit(f.limit)
    found = (await session.execute(query)).all()
    found = sorted(found, key=lambda r: r.id, reverse=True)
    people = await rows.persons(session, [r.person_id for r in found])
    communities = await rows.communities(session, [r.community_id for r in found])
    out = []
    for r in found:
        if r.person_id in people and r.community_id in communities:
            new = not await _instance_follows(session, r.community_id, people[r.person_id]["instance_id"], r.id)
            out.append(PendingFollowItem(r.id, people[r.person_id], communities[r.community_id], r.pending, new))
    return out


async def _instance_follows(session: AsyncSession, community_id: int, instance_id: int, but: int) -> bool:
    """Someone else of the instance follows the community (accepted): its server already receives the content."""
    query = select(
        exists()
        .where(F.c.community_id == community_id, F.c.pending.is_(False), F.c.id != but)
        .where(F.c.person_id == Person.id, Person.instance_id == instance_id)
    )
    return bool((await session.execute(query)).scalar())


async def count(session: AsyncSession, viewer: Viewer, *, all_communities: bool = False) -> int:
    """How many follows wait for `viewer`'s decision."""
    f = PendingFollowFilter(all_communities=all_communities)
    query = select(func.count()).select_from(F.join(COMM, COMM.c.id == F.c.community_id)).where(*_where(viewer, f))
    return int((await session.execute(query)).scalar() or 0)
