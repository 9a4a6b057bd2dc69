"""Community moves between Agora servers, on the rules of account moves (domain.moves): the new community lists the
old one among its aliases (`alsoKnownAs`), then the old one moves (`movedTo`) and nothing more is posted in it.

Each server that holds the old community moves its own members' follows to the new one (a Follow each, accepted
as any follow), so the followers' servers re-follow by themselves; the new community's server also makes the old
community's moderators its moderators.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Community, CommunityFollower, Person
from agora.db.moderators import is_moderator
from agora.domain import communities
from agora.domain.events import CommunityMoved, CommunityUpdated, record
from agora.domain.moves import aliases_of, check_aliases
from agora.domain.permissions import Acting, get_community, require_top_mod_or_admin, top_moderator_id
from agora.errors import AgoraError, Code

MODERATORS_MAX = 50


@dataclass(frozen=True, slots=True)
class Following:
    """One of our members following again, on their behalf (the move is their community's, not their act)."""

    person_id: int
    admin: bool = False


async def set_aliases(session: AsyncSession, actor: Acting, community_id: int, aliases: list[str]) -> list[str]:
    """The top moderator (or an admin) replaces the aliases of our community; its followers get the new Group."""
    community = await get_community(session, community_id, lock=True)
    if not community.local:
        raise AgoraError(Code.object_not_local, "a community's aliases are set on its own server")
    await require_top_mod_or_admin(session, actor, community_id)
    kept = check_aliases(aliases, community.actor_id)
    community.also_known_as = "\n".join(kept) or None
    community.updated = now()
    await record(session, CommunityUpdated(actor.person_id, community_id))
    return kept


def _check_target(community: Community, target: Community) -> None:
    if target.id == community.id:
        raise AgoraError(Code.invalid_move_target, "a community cannot move to itself")
    if target.deleted or target.removed or target.moved_to:
        raise AgoraError(Code.invalid_move_target, f"{target.actor_id} is deleted, removed or has moved itself")
    if community.actor_id not in aliases_of(target.also_known_as):
        raise AgoraError(
            Code.move_target_not_aliased, f"{target.actor_id} does not list {community.actor_id} among its aliases"
        )


async def check_mover(session: AsyncSession, actor: Acting, community_id: int, *, lock: bool = False) -> Community:
    """Our community, not moved yet, and `actor` its top moderator or an admin (asked before its target is fetched)."""
    community = await get_community(session, community_id, lock=lock)
    if not community.local:
        raise AgoraError(Code.object_not_local, "a community moves from its own server")
    await require_top_mod_or_admin(session, actor, community_id)
    if community.moved_to:
        raise AgoraError(Code.community_moved, f"this community has already moved to {community.moved_to}")
    return community


async def move(session: AsyncSession, actor: Acting, community_id: int, target_id: int) -> Community:
    """The top moderator (or an admin) moves our community to `target_id`, whose aliases (as last fetched) list it."""
    community = await check_mover(session, actor, community_id, lock=True)
    target = await get_community(session, target_id)
    _check_target(community, target)
    community.moved_to, community.moved_at = target.actor_id, now()
    moderators = await _moderator_urls(session, community_id)
    await _follow_again(session, community_id, target_id)
    if target.local:
        await _moderate(session, actor, target_id, moderators)
    await record(session, CommunityMoved(actor.person_id, community_id, target_id, moderators))
    return community


async def arrive(session: AsyncSession, old_id: int, target_id: int, moderator_ids: list[int] | None) -> None:
    """Another server's community moved to `target_id` (its Move, signed by its server): marked moved when the
    target lists it; our members who followed it follow the target; when the target is ours, `moderator_ids`
    (the old community's moderators, as its server named them) moderate it too. Applying it again changes
    nothing."""
    community = await get_community(session, old_id, lock=True)
    if community.local:
        raise AgoraError(Code.invalid_activity, "our own communities move from here, not by a Move we receive")
    target = await get_community(session, target_id)
    _check_target(community, target)
    community.moved_to, community.moved_at = target.actor_id, community.moved_at or now()
    await _follow_again(session, old_id, target_id)
    top = await top_moderator_id(session, target_id)
    if target.local and moderator_ids and top is not None:
        await _moderate_ids(session, Following(top), target_id, moderator_ids)  # its top moderator welcomes them


async def _moderator_urls(session: AsyncSession, community_id: int) -> list[str]:
    ids = await communities.moderator_ids(session, community_id)
    found = await session.execute(select(Person.id, Person.actor_id).where(Person.id.in_(ids)))
    by_id = {row.id: row.actor_id for row in found}
    return [by_id[i] for i in ids if i in by_id][:MODERATORS_MAX]


async def _follow_again(session: AsyncSession, old_id: int, target_id: int) -> None:
    """Our members who follow the old community follow the new one (already following: nothing changes)."""
    query = select(CommunityFollower.person_id).join(Person, Person.id == CommunityFollower.person_id)
    query = query.where(CommunityFollower.community_id == old_id, Person.local.is_(True), Person.moved_to.is_(None))
    for person_id in list((await session.execute(query.order_by(CommunityFollower.person_id))).scalars()):
        try:
            await communities.follow(session, Following(person_id), target_id, True)
        except AgoraError:
            continue  # a banned or deleted member is left behind, as they could not follow it themselves


async def _moderate(session: AsyncSession, actor: Acting, target_id: int, moderator_urls: list[str]) -> None:
    found = await session.execute(select(Person.id).where(Person.actor_id.in_(moderator_urls)))
    await _moderate_ids(session, actor, target_id, list(found.scalars()))


async def _moderate_ids(session: AsyncSession, actor: Acting, target_id: int, person_ids: list[int]) -> None:
    acting = Following(actor.person_id, admin=True)  # the move itself is the moderators' consent
    for person_id in person_ids[:MODERATORS_MAX]:
        if await is_moderator(session, person_id, target_id):
            continue
        try:
            await communities.set_moderator(session, acting, target_id, person_id, True)
        except AgoraError:
            continue  # a banned or deleted person does not moderate
