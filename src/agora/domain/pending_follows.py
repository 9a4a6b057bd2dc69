"""Follows of Private communities waiting for a moderator: approve or deny (Lemmy 1.0's pending follows)."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db import viewer_versions
from agora.db.models import Community, CommunityFollower
from agora.domain import counters
from agora.domain.events import PendingFollowDecided, record
from agora.domain.permissions import Acting, get_community, require_mod_or_admin
from agora.errors import AgoraError, Code


async def decide(session: AsyncSession, actor: Acting, community_id: int, person_id: int, approve: bool) -> None:
    """A moderator or admin of a local community approves (the follow is accepted and counted) or denies (the
    request is removed) a person's pending follow of it; a remote follower's server hears the answer (Accept or
    Reject, through the event). Refused with `couldnt_find_community` for a remote community (its home
    decides) and with `not_found` when no follow of the person is pending."""
    community = await get_community(session, community_id)
    if not community.local:
        raise AgoraError(Code.couldnt_find_community, "a remote community's follows are decided on its own server")
    await require_mod_or_admin(session, actor, community_id)
    whose = viewer_versions.of_person(person_id)
    where = (
        CommunityFollower.community_id == community_id,
        CommunityFollower.person_id == person_id,
        CommunityFollower.pending.is_(True),
    )
    statement = (
        update(CommunityFollower).where(*where).values(pending=False)
        if approve
        else delete(CommunityFollower).where(*where)
    )
    found = (await session.execute(statement.returning(CommunityFollower.remote), execution_options=whose)).first()
    if found is None:
        raise AgoraError(Code.not_found, "no follow of this person is waiting for approval")
    if approve:
        await counters.bump(session, Community, community_id, subscribers=1, subscribers_local=int(not found.remote))
    await record(session, PendingFollowDecided(actor.person_id, community_id, person_id, approve))


async def accept_all(session: AsyncSession, actor: Acting, community_id: int) -> None:
    """Every follow still waiting is approved: the community stopped being Private, so nothing is left to decide
    (its moderator's edit is the decision; remote followers' servers get their Accepts)."""
    query = select(CommunityFollower.person_id).where(
        CommunityFollower.community_id == community_id, CommunityFollower.pending.is_(True)
    )
    for person_id in (await session.execute(query.order_by(CommunityFollower.id))).scalars().all():
        await decide(session, actor, community_id, person_id, True)
