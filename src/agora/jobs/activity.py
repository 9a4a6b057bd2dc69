"""Active-user counts: distinct people who posted, commented or voted in the last day, week, month, half year.

Site counts cover local accounts; community counts cover everyone active in the community. Computed hourly with
one grouped query per window, the way Lemmy's daily job does, rather than on every write.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, union, update

from agora.core.clock import now
from agora.db.models import Comment, CommentLike, Community, LocalSite, Person, Post, PostLike
from agora.deps import AppState

WINDOWS = {
    "users_active_day": timedelta(days=1),
    "users_active_week": timedelta(days=7),
    "users_active_month": timedelta(days=30),
    "users_active_half_year": timedelta(days=182),
}


def _activity(since):
    """(person_id, community_id) pairs of everything done since `since`."""
    return union(
        select(Post.creator_id.label("person_id"), Post.community_id.label("community_id")).where(
            Post.published >= since
        ),
        select(Comment.creator_id, Post.community_id)
        .join(Post, Post.id == Comment.post_id)
        .where(Comment.published >= since),
        select(PostLike.person_id, Post.community_id)
        .join(Post, Post.id == PostLike.post_id)
        .where(PostLike.published >= since),
        select(CommentLike.person_id, Post.community_id)
        .join(Comment, Comment.id == CommentLike.comment_id)
        .join(Post, Post.id == Comment.post_id)
        .where(CommentLike.published >= since),
    ).subquery()


async def refresh_active_users(state: AppState) -> None:
    at = now()
    for column, window in WINDOWS.items():
        async with state.db.write() as session:
            acts = _activity(at - window)
            per_community = (
                await session.execute(
                    select(acts.c.community_id, func.count(func.distinct(acts.c.person_id))).group_by(
                        acts.c.community_id
                    )
                )
            ).all()
            await session.execute(update(Community).values({column: 0}))
            for community_id, count in per_community:
                await session.execute(update(Community).where(Community.id == community_id).values({column: count}))
            local = (
                await session.execute(
                    select(func.count(func.distinct(acts.c.person_id)))
                    .select_from(acts.join(Person, Person.id == acts.c.person_id))
                    .where(Person.local.is_(True), Person.bot_account.is_(False))
                )
            ).scalar_one()
            await session.execute(
                update(LocalSite).where(LocalSite.id == state.here.local_site_id).values({column: local})
            )
