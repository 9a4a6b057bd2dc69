"""Bans: from one community (its moderators) or from the whole site (admins), optionally with an expiry.

An expired ban stops counting the moment it expires (every check compares `expires` with now); `lapse_expired`
later tidies the rows so profiles stop showing the ban.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypedDict, Unpack

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import dml, upsert
from agora.db.models import Comment, Community, CommunityFollower, CommunityPersonBan, LocalUser, Person, Post
from agora.db.moderators import is_moderator
from agora.domain import comments, communities, limits, logins, posts
from agora.domain.events import PersonBanned, record
from agora.domain.modlog import Kind, write
from agora.domain.permissions import (
    Acting,
    RemoteActing,
    get_community,
    get_person,
    is_admin_person,
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


class BanTerms(TypedDict):
    """What a ban (or its lifting, `ban` false) says, as every surface passes it: the reason, the end in seconds
    since the epoch (None: permanent) and whether the person's content goes too."""

    ban: bool
    reason: str | None
    expires: int | None
    remove_data: bool


def _checked(terms: BanTerms) -> tuple[bool, str | None, datetime | None, bool]:
    """`terms` as a ban applies them: the reason within its limit and the end as a future time (none when lifting)."""
    ban = terms["ban"]
    return (
        ban,
        limits.check_mod_reason(terms["reason"]),
        expiry(terms["expires"]) if ban else None,
        terms["remove_data"],
    )


async def ban_from_community(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    community_id: int,
    person_id: int,
    **terms: Unpack[BanTerms],
) -> Person:
    """A community's moderators (or admins) ban a person from it. Moderators cannot ban fellow moderators; our
    admins cannot be banned from our communities, nor by our own members, but a remote community's home rules
    it: its ban applies here to whoever it names, our admins included (Lemmy does the same)."""
    community = await get_community(session, community_id)
    await require_mod_or_admin(session, actor, community.id)
    person = await get_person(session, person_id)
    ban, reason, until, remove_data = _checked(terms)
    if ban:
        if person.id == actor.person_id:
            raise AgoraError(Code.cant_block_yourself)
        fellow_mod = not actor.admin and await is_moderator(session, person.id, community.id)
        ours_to_protect = community.local or not isinstance(actor, RemoteActing)
        if fellow_mod or (ours_to_protect and await is_admin_person(session, person.id)):
            raise AgoraError(Code.not_a_mod_or_admin, "moderators cannot ban admins or fellow moderators")
    await _set_community_ban(session, here, actor.person_id, community.id, person.id, ban, reason, until, remove_data)
    return person


async def _set_community_ban(
    session: AsyncSession,
    here: LocalInstance,
    actor_id: int,
    community_id: int,
    person_id: int,
    ban: bool,
    reason: str | None,
    until: datetime | None,
    remove_data: bool,
) -> None:
    """The ban itself, its modlog entry and its event, once the caller has checked who may ban whom."""
    in_community = (CommunityPersonBan.community_id == community_id, CommunityPersonBan.person_id == person_id)
    if ban:
        statement = upsert.insert(session, CommunityPersonBan).values(
            community_id=community_id, person_id=person_id, expires=until, published=now()
        )
        await session.execute(
            statement.on_conflict_do_update(index_elements=["community_id", "person_id"], set_={"expires": until})
        )
        await communities.remove_follows(
            session,
            CommunityFollower.community_id == community_id,
            CommunityFollower.person_id == person_id,
            person_id=person_id,
        )
    else:
        await session.execute(delete(CommunityPersonBan).where(*in_community))
    if ban and remove_data:
        await remove_content(session, here, person_id, community_id=community_id)
    await write(
        session,
        Kind.ban_from_community,
        actor_id,
        flag=ban,
        other_person_id=person_id,
        community_id=community_id,
        reason=reason,
        expires=until,
    )
    await record(session, PersonBanned(actor_id, person_id, community_id, ban, reason, until, remove_data))


async def ban_from_site(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    person_id: int,
    **terms: Unpack[BanTerms],
) -> Person:
    """Admins ban a person from the whole site (ours, or a remote server's ban of its own member, mirrored). When
    our admins ban a remote person, they are also banned from each of our communities they wrote in, which other
    servers do hear of (a site ban of someone else's member is ours alone), so their content there goes
    everywhere when `remove_data` asks (Lemmy does the same)."""
    require_admin(actor)
    person = await get_person(session, person_id, lock=True)
    ban, reason, until, remove_data = _checked(terms)
    if ban and (person.id == actor.person_id or await is_admin_person(session, person.id)):
        raise AgoraError(Code.not_higher_admin, "admins cannot be banned; remove their admin rights first")
    person.banned = ban
    person.ban_expires = until
    if ban and remove_data:
        person.avatar = person.banner = person.bio = None
    await session.flush()
    if ban and person.local:  # as Lemmy 0.19 does: lifting the ban later revives none of their sessions
        await _end_sessions(session, person.id)
    if ban and remove_data:
        await remove_content(session, here, person.id)
    await write(session, Kind.ban, actor.person_id, flag=ban, other_person_id=person.id, reason=reason, expires=until)
    await record(session, PersonBanned(actor.person_id, person.id, None, ban, reason, until, remove_data))
    if not person.local and not isinstance(actor, RemoteActing):
        for community_id in await _local_communities_written_in(session, person.id):
            await _set_community_ban(
                session, here, actor.person_id, community_id, person.id, ban, reason, until, remove_data and ban
            )
    return person


async def _end_sessions(session: AsyncSession, person_id: int) -> None:
    """Every login of a local member ends."""
    query = select(LocalUser.id).where(LocalUser.person_id == person_id)
    local_user_id = (await session.execute(query)).scalar_one_or_none()
    if local_user_id is not None:
        await logins.revoke_all(session, local_user_id)


async def _local_communities_written_in(session: AsyncSession, person_id: int) -> list[int]:
    """Our open communities where the person has a post or a comment."""
    open_local = (Community.local.is_(True), Community.deleted.is_(False), Community.removed.is_(False))
    posted = select(Post.community_id).where(Post.creator_id == person_id)
    commented = (
        select(Post.community_id).join(Comment, Comment.post_id == Post.id).where(Comment.creator_id == person_id)
    )
    written = posted.union(commented).subquery()
    query = select(Community.id).where(Community.id.in_(select(written.c.community_id)), *open_local)
    return list((await session.execute(query.order_by(Community.id))).scalars())


async def remove_content(
    session: AsyncSession, here: LocalInstance, person_id: int, *, community_id: int | None = None
) -> None:
    """Remove a person's posts and comments (in one community, or everywhere), fixing every count once each.

    Each row is locked as it is read (comments first, then posts: the lock order), so its score and flags are the
    ones the counts hold, not those of before a vote, a deletion or another removal that was waiting."""
    post_query = select(Post).where(Post.creator_id == person_id, Post.removed.is_(False))
    comment_query = (
        select(Comment)
        .join(Post, Post.id == Comment.post_id)
        .where(Comment.creator_id == person_id, Comment.removed.is_(False))
    )
    if community_id is not None:
        post_query = post_query.where(Post.community_id == community_id)
        comment_query = comment_query.where(Post.community_id == community_id)
    fresh = {"populate_existing": True}
    comment_query = comment_query.order_by(Comment.id).with_for_update(of=Comment, key_share=True)
    for comment in (await session.execute(comment_query, execution_options=fresh)).scalars().all():
        if comment.removed:  # removed by a moderator while this waited for the lock
            continue
        comment.removed = True
        await session.flush()
        if not comment.deleted:
            await comments.count_visibility_change(session, here, comment, visible=False)
    post_query = post_query.order_by(Post.id).with_for_update(key_share=True)
    for post in (await session.execute(post_query, execution_options=fresh)).scalars().all():
        if post.removed:
            continue
        post.removed = True
        await session.flush()
        if not post.deleted:
            await posts.count_visibility_change(session, here, post, visible=False)


async def lapse_expired(session: AsyncSession) -> int:
    """Drop bans whose time is up; answers how many lapsed."""
    at = now()
    community = await dml.rows_changed(
        session,
        delete(CommunityPersonBan).where(CommunityPersonBan.expires.is_not(None), CommunityPersonBan.expires <= at),
    )
    site = await dml.rows_changed(
        session,
        update(Person)
        .where(Person.banned.is_(True), Person.ban_expires.is_not(None), Person.ban_expires <= at)
        .values(banned=False, ban_expires=None),
    )
    return community + site
