"""Who may do what: the checks every surface (API, web, inbox) shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Exists, SQLColumnExpression, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Community, CommunityFollower, CommunityModerator, CommunityPersonBan, LocalUser, Person
from agora.db.moderators import is_moderator
from agora.db.rows import get_row
from agora.errors import AgoraError, Code


class Acting(Protocol):
    """Whoever acts: a member of this server (`LocalActing`) or a person of another one (`RemoteActing`)."""

    @property
    def person_id(self) -> int: ...

    @property
    def admin(self) -> bool: ...


class LocalActing(Acting, Protocol):
    """A member of this server acting with their account, as deps resolves it from a login token
    (queries.viewer.Viewer fits); only they have settings, a password and keyword filters."""

    @property
    def local_user_id(self) -> int: ...


@dataclass(frozen=True, slots=True)
class RemoteActing:
    """A person of another server acting here through federation: an `Acting` with no account here. `admin` is True
    only when they act on their own server's community or people, whose admins they speak for (federation decides;
    see federation.activities)."""

    person_id: int
    admin: bool = False


@dataclass(frozen=True, slots=True)
class Origin:
    """A federated object's identity and times on its home server; None everywhere means "made here, now"."""

    ap_id: str
    published: datetime | None = None
    updated: datetime | None = None

    def published_at(self) -> datetime:
        """When it was made, never in the future (a peer's clock may run ahead)."""
        at = now()
        return min(self.published, at) if self.published else at


def require_admin(actor: Acting) -> None:
    if not actor.admin:
        raise AgoraError(Code.not_an_admin)


async def is_admin_person(session: AsyncSession, person_id: int) -> bool:
    """Whether the person is one of this instance's admins."""
    return bool(
        (await session.execute(select(LocalUser.admin).where(LocalUser.person_id == person_id))).scalar_one_or_none()
    )


async def is_mod_or_admin(session: AsyncSession, actor: Acting, community_id: int) -> bool:
    return actor.admin or await is_moderator(session, actor.person_id, community_id)


async def require_mod_or_admin(session: AsyncSession, actor: Acting, community_id: int) -> None:
    if not await is_mod_or_admin(session, actor, community_id):
        raise AgoraError(Code.not_a_mod_or_admin)


async def top_moderator_id(session: AsyncSession, community_id: int) -> int | None:
    query = (
        select(CommunityModerator.person_id)
        .where(CommunityModerator.community_id == community_id)
        .order_by(CommunityModerator.rank, CommunityModerator.id)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def require_top_mod_or_admin(session: AsyncSession, actor: Acting, community_id: int) -> None:
    if actor.admin:
        return
    if await top_moderator_id(session, community_id) != actor.person_id:
        raise AgoraError(Code.not_top_mod)


def ban_active(expires: datetime | None) -> bool:
    return expires is None or expires > now()


def community_ban_active(
    person_id: int | SQLColumnExpression[int],
    community_id: int | SQLColumnExpression[int],
    at: datetime | SQLColumnExpression[datetime] | None = None,
) -> Exists:
    """The SQL condition "`person_id` is banned from `community_id` at `at`, by default now" (any of them may be a
    column or a bound parameter)."""
    return exists().where(
        CommunityPersonBan.community_id == community_id,
        CommunityPersonBan.person_id == person_id,
        or_(CommunityPersonBan.expires.is_(None), CommunityPersonBan.expires > (now() if at is None else at)),
    )


async def is_banned_from_community(session: AsyncSession, person_id: int, community_id: int) -> bool:
    return bool((await session.execute(select(community_ban_active(person_id, community_id)))).scalar())


async def require_not_banned_from_community(session: AsyncSession, person_id: int, community_id: int) -> None:
    if await is_banned_from_community(session, person_id, community_id):
        raise AgoraError(Code.banned_from_community)


def require_person_active(person: Person) -> None:
    """A site-banned or deleted account may not write (an expired ban has lapsed)."""
    if person.deleted:
        raise AgoraError(Code.deleted)
    if person.banned and ban_active(person.ban_expires):
        raise AgoraError(Code.site_ban)


def require_community_open(community: Community) -> None:
    if community.deleted or community.removed:
        raise AgoraError(Code.deleted)


async def require_can_write_in(session: AsyncSession, actor: Acting, person: Person, community: Community) -> None:
    """Everything that must hold before a member posts, comments or votes in a community."""
    check_can_write_in(person, community, await is_banned_from_community(session, person.id, community.id))
    await require_private_member(session, person, community)


async def require_private_member(session: AsyncSession, person: Person, community: Community) -> None:
    """In a Private community only its approved followers and moderators take part (what they may read). Judged
    where the follow is kept: for our communities, and for our members in a remote one (its home judges the rest)."""
    if community.visibility != "Private" or not (community.local or person.local):
        return
    follower = CommunityFollower.__table__
    approved = exists().where(
        follower.c.community_id == community.id, follower.c.person_id == person.id, follower.c.pending.is_(False)
    )
    if not (await session.execute(select(approved))).scalar() and not await is_moderator(
        session, person.id, community.id
    ):
        raise AgoraError(Code.not_found, "only the approved followers of a private community take part in it")


def check_can_write_in(person: Person, community: Community, banned: bool) -> None:
    """`require_can_write_in` for a caller that has read the ban with its rows (`community_ban_active`)."""
    require_person_active(person)
    require_community_open(community)
    if banned:
        raise AgoraError(Code.banned_from_community)


async def get_person(session: AsyncSession, person_id: int, *, lock: bool = False) -> Person:
    return await get_row(session, Person, person_id, AgoraError(Code.couldnt_find_person), lock=lock)


async def get_local_user(session: AsyncSession, local_user_id: int) -> LocalUser:
    user = await session.get(LocalUser, local_user_id)
    if user is None:
        raise AgoraError(Code.couldnt_find_local_user)
    return user


async def get_community(session: AsyncSession, community_id: int, *, lock: bool = False) -> Community:
    return await get_row(session, Community, community_id, AgoraError(Code.couldnt_find_community), lock=lock)
