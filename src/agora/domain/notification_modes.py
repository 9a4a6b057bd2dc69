"""Notification modes (Lemmy 1.0): a member says per community and per post what reaches their inbox. A post's
mode overrides its community's; with neither set, only replies and mentions do (the default, stored as no row).

Community modes: all_posts_and_comments, all_posts, replies_and_mentions, mute. Post modes: all_comments,
replies_and_mentions, mute. Mute stops replies and mentions too. New posts and comments a mode asks for arrive
as "subscribed" notifications, written in the post's or comment's own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import (
    Comment,
    CommunityNotifications,
    LocalUser,
    Post,
    PostNotifications,
    SubscribedNotification,
)
from agora.domain import blocks
from agora.domain.events import PostCreated, subscribe
from agora.domain.permissions import Acting, get_community
from agora.errors import AgoraError, Code

DEFAULT = "replies_and_mentions"
MUTE = "mute"
COMMUNITY_MODES = ("all_posts_and_comments", "all_posts", DEFAULT, MUTE)
POST_MODES = ("all_comments", DEFAULT, MUTE)
_POSTS = ("all_posts_and_comments", "all_posts")


def register() -> None:
    subscribe(PostCreated, on_post_created)


async def set_community_mode(session: AsyncSession, actor: Acting, community_id: int, mode: str) -> None:
    if mode not in COMMUNITY_MODES:
        raise AgoraError(Code.invalid_body_field, f"mode: one of {', '.join(COMMUNITY_MODES)}")
    await get_community(session, community_id)
    table = CommunityNotifications
    await session.execute(delete(table).where(table.person_id == actor.person_id, table.community_id == community_id))
    if mode != DEFAULT:
        session.add(CommunityNotifications(person_id=actor.person_id, community_id=community_id, mode=mode))
        await session.flush()


async def set_post_mode(session: AsyncSession, actor: Acting, post_id: int, mode: str) -> None:
    if mode not in POST_MODES:
        raise AgoraError(Code.invalid_body_field, f"mode: one of {', '.join(POST_MODES)}")
    if await session.get(Post, post_id) is None:
        raise AgoraError(Code.couldnt_find_post)
    table = PostNotifications
    await session.execute(delete(table).where(table.person_id == actor.person_id, table.post_id == post_id))
    if mode != DEFAULT:
        session.add(PostNotifications(person_id=actor.person_id, post_id=post_id, mode=mode))
        await session.flush()


async def mode_of(session: AsyncSession, person_id: int, post: Post) -> str:
    """The mode that decides what of `post` reaches the person: the post's own, else its community's."""
    own = await session.get(PostNotifications, (person_id, post.id))
    if own is not None:
        return own.mode
    of_community = await session.get(CommunityNotifications, (person_id, post.community_id))
    return of_community.mode if of_community is not None else DEFAULT


async def on_post_created(session: AsyncSession, event: PostCreated) -> None:
    post = await session.get(Post, event.post_id)
    if post is None:
        return
    table = CommunityNotifications
    wanting = select(table.person_id).where(table.community_id == post.community_id, table.mode.in_(_POSTS))
    await _notify(session, post, None, post.creator_id, (await session.execute(wanting)).scalars())


async def notify_comment(session: AsyncSession, comment: Comment, already: Iterable[int]) -> None:
    """Subscribed notifications of a new comment for those whose mode asks for every comment of its post, but for
    the persons in `already` (told of it as a reply or a mention)."""
    post = await session.get(Post, comment.post_id)
    if post is None:
        return
    by_post, by_community = PostNotifications, CommunityNotifications
    modes = await session.execute(select(by_post.person_id, by_post.mode).where(by_post.post_id == post.id))
    post_modes = {person_id: mode for person_id, mode in modes}
    community_wanting = select(by_community.person_id).where(
        by_community.community_id == post.community_id, by_community.mode == "all_posts_and_comments"
    )
    wanting = {p for p, mode in post_modes.items() if mode == "all_comments"}
    wanting |= {p for p in (await session.execute(community_wanting)).scalars() if p not in post_modes}
    await _notify(session, post, comment.id, comment.creator_id, wanting - set(already))


async def _notify(
    session: AsyncSession, post: Post, comment_id: int | None, creator_id: int, recipients: Iterable[int]
) -> None:
    """One notification each for the local members among `recipients` who are not the creator and hide neither
    the creator (nor their instance's persons) nor the community."""
    for recipient_id in sorted(set(recipients) - {creator_id}):
        blocked = blocks.hides(recipient_id, creator_id, post.community_id)
        local = select(exists().where(LocalUser.person_id == recipient_id), blocked)
        is_local, is_blocked = (await session.execute(local)).one()
        if is_local and not is_blocked:
            session.add(
                SubscribedNotification(
                    recipient_id=recipient_id, post_id=post.id, comment_id=comment_id, read=False, published=now()
                )
            )
    await session.flush()


async def mark(session: AsyncSession, actor: Acting, row_id: int, read: bool) -> None:
    row = await session.get(SubscribedNotification, row_id)
    if row is None or row.recipient_id != actor.person_id:
        raise AgoraError(Code.not_found)
    row.read = read
    await session.flush()
