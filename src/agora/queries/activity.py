"""Who is here now: distinct people who posted, commented or voted in a community in the last few minutes.

The day, week and month counts are the hourly job's (jobs.activity); "here now" is read with the page, so each
part starts from an index range by time: posts (ix_post_community_published), comments (ix_comment_published),
votes (ix_post_like_published, ix_comment_like_published), and only those few rows are joined to their community.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Comment, CommentLike, Post, PostLike

HERE_NOW = timedelta(minutes=15)


async def here_now(session: AsyncSession, community_id: int) -> int:
    since = now() - HERE_NOW
    people = union(
        select(Post.creator_id.label("person_id")).where(
            Post.community_id == community_id,
            Post.deleted.is_(False),  # as the (community, featured, published) listing index is partial
            Post.removed.is_(False),
            Post.published >= since,
        ),
        select(Comment.creator_id)
        .join(Post, Post.id == Comment.post_id)
        .where(Comment.published >= since, Post.community_id == community_id),
        select(PostLike.person_id)
        .join(Post, Post.id == PostLike.post_id)
        .where(PostLike.published >= since, Post.community_id == community_id),
        select(CommentLike.person_id)
        .join(Comment, Comment.id == CommentLike.comment_id)
        .join(Post, Post.id == Comment.post_id)
        .where(CommentLike.published >= since, Post.community_id == community_id),
    ).subquery()
    return (await session.execute(select(func.count()).select_from(people))).scalar_one()
