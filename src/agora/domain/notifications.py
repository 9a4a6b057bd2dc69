"""Inbox notifications: replies to a member's posts and comments, and @mentions, written in the comment's own
transaction by event subscribers (no queue to lose them, nothing for the writer to wait on but two inserts).

Only local members get notifications; a member who blocks the commenter, the comment's community or that
community's instance gets none from the comment (Lemmy 0.19 spares replies so; Agora spares mentions too), nor
does a member who muted the post or its community (domain.notification_modes).
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db import upsert
from agora.db.models import (
    Comment,
    CommentReply,
    Community,
    Instance,
    LocalUser,
    Person,
    PersonMention,
    PersonWarning,
    Post,
    PrivateMessage,
    SubscribedNotification,
)
from agora.domain import blocks as blocks_of
from agora.domain import notification_modes
from agora.domain.events import CommentCreated, CommentUpdated, subscribe
from agora.domain.permissions import Acting
from agora.errors import AgoraError, Code
from agora.text.mentions import find_mentions

# session.info key: comment id → local user ids notified by that comment (the API answers them as recipient_ids)
NOTIFIED = "notified_local_users"
Notice = TypeVar("Notice", CommentReply, PersonMention)


def register() -> None:
    subscribe(CommentCreated, on_comment_created)
    notification_modes.register()
    subscribe(CommentUpdated, on_comment_updated)


async def on_comment_created(session: AsyncSession, event: CommentCreated) -> None:
    if event.notified is not None:  # the write notified everyone itself (domain.comment_inserts)
        session.info.setdefault(NOTIFIED, {})[event.comment_id] = sorted(set(event.notified))
        return
    comment = await session.get(Comment, event.comment_id)
    if comment is None:
        return
    notified: list[int] = []
    parent_author = await _parent_author(session, comment)
    if parent_author is not None and parent_author != comment.creator_id:
        notified += await _notify(session, CommentReply, parent_author, comment)
    notified += await _notify_mentions(session, comment)
    session.info.setdefault(NOTIFIED, {})[comment.id] = sorted(set(notified))
    told = [select(model.recipient_id).where(model.comment_id == comment.id) for model in (CommentReply, PersonMention)]
    already = (await session.execute(told[0].union(told[1]))).scalars()
    await notification_modes.notify_comment(session, comment, already)


async def on_comment_updated(session: AsyncSession, event: CommentUpdated) -> None:
    """An edit that adds a mention notifies the newly mentioned (each person once per comment)."""
    comment = await session.get(Comment, event.comment_id)
    if comment is not None:
        await _notify_mentions(session, comment)


async def _parent_author(session: AsyncSession, comment: Comment) -> int | None:
    # The write that made the comment has just read its post and parent: `get` finds them in the session.
    if comment.parent_id is not None:
        parent = await session.get(Comment, comment.parent_id)
        return parent.creator_id if parent is not None else None
    post = await session.get(Post, comment.post_id)
    return post.creator_id if post is not None else None


async def _notify_mentions(session: AsyncSession, comment: Comment) -> list[int]:
    notified: list[int] = []
    mentions = find_mentions(comment.content)[:20]  # a comment full of mentions is spam, not a conversation
    if not mentions:
        return notified
    author = await session.get(Person, comment.creator_id)
    author_instance = author.instance_id if author is not None else None
    for mention in mentions:
        query = select(Person.id).where(func.lower(Person.name) == mention.name.lower())
        if mention.host is None:
            query = query.where(Person.instance_id == author_instance)
        else:
            query = query.join(Instance, Instance.id == Person.instance_id).where(
                func.lower(Instance.domain) == mention.host.lower()
            )
        person_id = (await session.execute(query.limit(1))).scalar()
        if person_id is not None and person_id != comment.creator_id:
            notified += await _notify(session, PersonMention, person_id, comment)
    return notified


async def _notify(
    session: AsyncSession, model: type[CommentReply] | type[PersonMention], recipient_id: int, comment: Comment
) -> list[int]:
    """Insert the notification when the recipient is a local member who hides neither the commenter (nor their
    instance's persons) nor the community nor its instance."""
    # The write that made the comment has just read its post and community: `get` finds them in the session.
    post = await session.get(Post, comment.post_id)
    community = await session.get(Community, post.community_id) if post is not None else None
    if post is None or community is None:
        return []
    if await notification_modes.mode_of(session, recipient_id, post) == notification_modes.MUTE:
        return []
    blocks = blocks_of.hides(recipient_id, comment.creator_id, community.id, community.instance_id)
    found = (await session.execute(select(LocalUser.id, blocks).where(LocalUser.person_id == recipient_id))).first()
    if found is None or found[1]:
        return []
    local_user_id = found[0]
    statement = upsert.insert(session, model).values(
        recipient_id=recipient_id, comment_id=comment.id, read=False, published=now()
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=["recipient_id", "comment_id"]))
    return [local_user_id]


async def mark_reply(session: AsyncSession, actor: Acting, reply_id: int, read: bool) -> None:
    await _mark(session, CommentReply, actor, reply_id, read, Code.couldnt_update_replies)


async def mark_mention(session: AsyncSession, actor: Acting, mention_id: int, read: bool) -> None:
    await _mark(session, PersonMention, actor, mention_id, read, Code.couldnt_update_person_mentions)


async def _mark(
    session: AsyncSession,
    model: type[Notice],
    actor: Acting,
    row_id: int,
    read: bool,
    missing: Code,
) -> None:
    row = await session.get(model, row_id)
    if row is None or row.recipient_id != actor.person_id:
        raise AgoraError(missing)
    row.read = read
    await session.flush()


async def mark_all_read(session: AsyncSession, actor: Acting) -> None:
    """Replies, mentions, private messages and warnings to the member, all at once."""
    for model, recipient, read in (
        (CommentReply, CommentReply.recipient_id, CommentReply.read),
        (PersonMention, PersonMention.recipient_id, PersonMention.read),
        (PrivateMessage, PrivateMessage.recipient_id, PrivateMessage.read),
        (PersonWarning, PersonWarning.person_id, PersonWarning.read),
        (SubscribedNotification, SubscribedNotification.recipient_id, SubscribedNotification.read),
    ):
        await session.execute(update(model).where(recipient == actor.person_id, read.is_(False)).values(read=True))
