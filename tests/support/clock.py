"""Move content back in time for tests of time windows (TopDay, Active's two-day rule, rank decay).

The API has no way to backdate, by design; this is the one place tests touch rows directly, and only timestamps.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from agora.db.models import Comment, Post, PostLike

_POST_TIMES = ("published", "newest_comment_time", "newest_comment_time_necro")


def age_post(server, post_id: int, delta: timedelta) -> None:
    async def run():
        async with server.state.db.write() as session:
            row = (
                await session.execute(select(*(getattr(Post, n) for n in _POST_TIMES)).where(Post.id == post_id))
            ).one()
            values = {name: getattr(row, name) - delta for name in _POST_TIMES}
            await session.execute(update(Post).where(Post.id == post_id).values(**values))
            # The author's upvote is cast with the post: it moves back with it.
            creator = select(Post.creator_id).where(Post.id == post_id).scalar_subquery()
            own = (PostLike.post_id == post_id) & (PostLike.person_id == creator)
            voted = (await session.execute(select(PostLike.published).where(own))).scalar_one_or_none()
            if voted is not None:
                await session.execute(update(PostLike).where(own).values(published=voted - delta))

    server.run(run)


def age_comment(server, comment_id: int, delta: timedelta) -> None:
    async def run():
        async with server.state.db.write() as session:
            published = (await session.execute(select(Comment.published).where(Comment.id == comment_id))).scalar_one()
            await session.execute(update(Comment).where(Comment.id == comment_id).values(published=published - delta))

    server.run(run)


def end_poll(server, post_id: int, ago: timedelta = timedelta(seconds=1)) -> None:
    """Move a poll's end into the past (no route ends a poll early)."""
    from datetime import UTC, datetime

    from agora.db.models import Poll

    async def run():
        async with server.state.db.write() as session:
            await session.execute(update(Poll).where(Poll.post_id == post_id).values(end_time=datetime.now(UTC) - ago))

    server.run(run)
