"""Bans: from one community (its moderators) or from the whole site (admins), optionally with an expiry.

An expired ban stops counting the moment it expires (every check compares `expires` with now); `lapse_expired`
later tidies the rows so profiles stop showing the ban.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db import upsert
from agora.db.models import Comment, CommunityFollower, CommunityPersonBan, LocalUser, Person, Post
from agora.domain import comments, limits, posts
from agora.domain.events import PersonBanned, record
from agora.domain.instance import LocalInstance
from agora.domain.modlog import Kind, write
from agora.domain.permissions import (
    Acting,
    get_community,
    get_person,
    is_moderator,
    now,
    require_admin,
    require_mod_or_admin,
)
from agora.errors import AgoraError, Code

LONGEST_TERM = timedelta(days=10 * 365)  # Lemmy's: a ban meant to end later than this is a permanent ban


def expiry(expires: int | None) -> datetime | None:
    """Seconds since the epoch (Lemmy's form) → a UTC time in the future; None (permanent) for no end or an end
    past the longest term (PieFed writes a permanent ban as the year 2100)."""
    if expires is None:
        return None
    if expires <= 0:
        raise AgoraError(Code.ban_expiration_in_past)
    latest = now() + LONGEST_TERM
    if expires >= latest.timestamp():
        return None
    at = datetime.fromtimestamp(expires, UTC)
    if at <= now():
        raise AgoraError(Code.ban_expiration_in_past)
    return at


async def _is_admin(session: AsyncSession, person_id: int) -> bool:
    return bool(
        (await session.execute(select(LocalUser.admin).where(LocalUser.person_id == person_id))).scalar_one_or_none()
    )


async def ban_from_community(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    community_id: int,
    person_id: int,
    *,
    ban: bool,
    reason: str | None,
    expires: int | None,
    remove_data: bool,
) -> Person:
    community = await get_community(session, community_id)
    await require_mod_or_admin(session, actor, community.id)
    person = await get_person(session, person_id)
    reason = limits.check_mod_reason(reason)
    if ban:
        until = expiry(expires)
        if person.id == actor.person_id:
            raise AgoraError(Code.cant_block_yourself)
        fellow_mod = not actor.admin and await is_moderator(session, person.id, community.id)
        if fellow_mod or await _is_admin(session, person.id):
            raise AgoraError(Code.not_a_mod_or_admin, "moderators cannot ban admins or fellow moderators")
        statement = upsert.insert(session, CommunityPersonBan).values(
            community_id=community.id, person_id=person.id, expires=until, published=now()
        )
        await session.execute(
            statement.on_conflict_do_update(index_elements=["community_id", "person_id"], set_={"expires": until})
        )
        await session.execute(
            delete(CommunityFollower).where(
                CommunityFollower.community_id == community.id, CommunityFollower.person_id == person.id
            )
        )
    else:
        until = None
        await session.execute(
            delete(CommunityPersonBan).where(
                CommunityPersonBan.community_id == community.id, CommunityPersonBan.person_id == person.id
            )
        )
    if ban and remove_data:
        await remove_content(session, here, person.id, community_id=community.id)
    await write(session, Kind.ban_from_community, actor.person_id, flag=ban, other_person_id=person.id,
                community_id=community.id, reason=reason, expires=until)  # fmt: skip
    await record(session, PersonBanned(actor.person_id, person.id, community.id, ban, reason, until, remove_data))
    return person


async def ban_from_site(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    person_id: int,
    *,
    ban: bool,
    reason: str | None,
    expires: int | None,
    remove_data: bool,
) -> Person:
    require_admin(actor)
    person = await get_person(session, person_id, lock=True)
    reason = limits.check_mod_reason(reason)
    until = expiry(expires) if ban else None
    if ban and (person.id == actor.person_id or await _is_admin(session, person.id)):
        raise AgoraError(Code.not_higher_admin, "admins cannot be banned; remove their admin rights first")
    person.banned = ban
    person.ban_expires = until
    if ban and remove_data:
        person.avatar = person.banner = person.bio = None
    await session.flush()
    if ban and remove_data:
        await remove_content(session, here, person.id)
    await write(session, Kind.ban, actor.person_id, flag=ban, other_person_id=person.id, reason=reason, expires=until)
    await record(session, PersonBanned(actor.person_id, person.id, None, ban, reason, until, remove_data))
    return person


async def remove_content(session: AsyncSession, here: LocalInstance, person_id: int, *, community_id=None) -> None:
    """Remove a person's posts and comments (in one community, or everywhere), fixing every count once each."""
    post_query = select(Post).where(Post.creator_id == person_id, Post.removed.is_(False))
    comment_query = (
        select(Comment).join(Post, Post.id == Comment.post_id)
        .where(Comment.creator_id == person_id, Comment.removed.is_(False))
    )  # fmt: skip
    if community_id is not None:
        post_query = post_query.where(Post.community_id == community_id)
        comment_query = comment_query.where(Post.community_id == community_id)
    for comment in (await session.execute(comment_query.order_by(Comment.id))).scalars().all():
        comment.removed = True
        await session.flush()
        if not comment.deleted:
            await comments.count_visibility_change(session, here, comment, visible=False)
    for post in (await session.execute(post_query.order_by(Post.id))).scalars().all():
        post.removed = True
        await session.flush()
        if not post.deleted:
            await posts.count_visibility_change(session, here, post, visible=False)


async def lapse_expired(session: AsyncSession) -> int:
    """Drop bans whose time is up; answers how many lapsed."""
    at = now()
    community = await session.execute(
        delete(CommunityPersonBan).where(CommunityPersonBan.expires.is_not(None), CommunityPersonBan.expires <= at)
    )
    site = await session.execute(
        update(Person)
        .where(Person.banned.is_(True), Person.ban_expires.is_not(None), Person.ban_expires <= at)
        .values(banned=False, ban_expires=None)
    )
    return (community.rowcount or 0) + (site.rowcount or 0)


