"""A member's "subscribed" notifications: the new posts and comments their notification modes asked for
(domain.notification_modes), as post or comment items, with the count of the unread ones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Join, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Comment, PersonBlock, Post, SubscribedNotification
from agora.queries import comments as comment_queries
from agora.queries import posts as post_queries
from agora.queries.rows import Row
from agora.queries.viewer import Viewer
from agora.queries.views import CommentItem, PostItem

N = SubscribedNotification


@dataclass(slots=True)
class SubscribedItem:
    notification: Row  # the subscribed_notification row
    post: PostItem | None  # the new post, or None when the notification is of a comment
    comment: CommentItem | None


def _shown(viewer: Viewer) -> list[ColumnElement[bool]]:
    """Of posts and comments neither deleted nor removed, by no one the viewer blocks."""
    blocked = select(PersonBlock.target_id).where(PersonBlock.person_id == viewer.person_id)
    gone = or_(Comment.deleted.is_(True), Comment.removed.is_(True), Comment.creator_id.in_(blocked))
    return [
        N.recipient_id == viewer.person_id,
        Post.deleted.is_(False),
        Post.removed.is_(False),
        or_(N.comment_id.is_(None), ~gone),
        or_(N.comment_id.is_not(None), Post.creator_id.not_in(blocked)),
    ]


def _joined() -> Join:
    return N.__table__.join(Post, Post.id == N.post_id).outerjoin(Comment, Comment.id == N.comment_id)


async def subscribed(session: AsyncSession, viewer: Viewer, *, unread_only: bool, limit: int) -> list[SubscribedItem]:
    """The newest `limit` of the viewer's subscribed notifications."""
    query = select(N.id, N.recipient_id, N.post_id, N.comment_id, N.read, N.published).select_from(_joined())
    query = query.where(*_shown(viewer))
    if unread_only:
        query = query.where(N.read.is_(False))
    query = query.order_by(N.published.desc(), N.id.desc()).limit(limit)
    items = []
    for row in [dict(r) for r in (await session.execute(query)).mappings()]:
        if row["comment_id"] is None:
            post = await post_queries.get_post_view(session, viewer, row["post_id"])
            if post is not None:
                items.append(SubscribedItem(row, post, None))
        else:
            comment = await comment_queries.get_comment_view(session, viewer, row["comment_id"])
            if comment is not None:
                items.append(SubscribedItem(row, None, comment))
    return items


async def unread_count(session: AsyncSession, viewer: Viewer) -> int:
    query = select(func.count()).select_from(_joined()).where(N.read.is_(False), *_shown(viewer))
    return int((await session.execute(query)).scalar_one())
