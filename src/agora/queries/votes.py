"""Who voted how on a post or comment (moderators and admins look at this when a vote brigade is suspected)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Comment, CommentLike, Person, Post, PostLike
from agora.queries import columns
from agora.queries.flags import author_flags

PERSON = Person.__table__


async def _likes(
    session: AsyncSession,
    like_table: Table,
    target_column: ColumnElement[int],
    target_id: int,
    community_id: int,
    page: int,
    limit: int,
) -> list[dict[str, Any]]:
    creator = PERSON.alias("c")
    query = (
        select(
            *columns.labelled(creator, columns.PERSON, "c_"),
            like_table.c.score,
            *author_flags(creator, community_id),
        )
        .select_from(like_table.join(creator, creator.c.id == like_table.c.person_id))
        .where(target_column == target_id)
        .order_by(like_table.c.score, creator.c.name)
        .limit(limit)
        .offset((page - 1) * limit)
        .params(now=datetime.now(UTC))  # the author flags' named parameter
    )
    return [
        {
            "creator": columns.take(row, columns.PERSON, "c_"),
            "score": row["score"],
            "creator_banned_from_community": bool(row["f_creator_banned"]),
        }
        for row in (await session.execute(query)).mappings()
    ]


async def post_likes(session: AsyncSession, post: Post, page: int, limit: int) -> list[dict[str, Any]]:
    table = PostLike.__table__
    return await _likes(session, table, table.c.post_id, post.id, post.community_id, page, limit)


async def comment_likes(
    session: AsyncSession, comment: Comment, community_id: int, page: int, limit: int
) -> list[dict[str, Any]]:
    table = CommentLike.__table__
    return await _likes(session, table, table.c.comment_id, comment.id, community_id, page, limit)
