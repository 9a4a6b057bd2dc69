"""Recompute the time-decaying ranks (hot, active, scaled) of recent posts and comments, and community hot rank.

Only rows whose ranks are not yet zero are visited (a rank reaches zero a week after its time and stays there), in
batches of 1000, each its own short transaction, so votes are never blocked for long. The formulas are the same
Python functions the write path uses (domain.ranking).
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import bindparam, or_, select, update

from agora.db.models import Comment, Community, Post
from agora.domain import ranking
from agora.domain.permissions import now

log = logging.getLogger("agora.jobs.ranks")
BATCH = 1000


async def refresh_posts(db) -> int:
    done, after = 0, (None, 0)
    while True:
        at = now()
        async with db.write() as session:
            query = (
                select(
                    Post.id,
                    Post.score,
                    Post.published,
                    Post.newest_comment_time_necro,
                    Community.users_active_month,
                )
                .join(Community, Community.id == Post.community_id)
                .where(or_(Post.hot_rank != 0, Post.hot_rank_active != 0))
                .order_by(Post.published, Post.id)
                .limit(BATCH)
            )
            if after[0] is not None:
                query = query.where(or_(Post.published > after[0], (Post.published == after[0]) & (Post.id > after[1])))
            rows = (await session.execute(query)).all()
            if not rows:
                return done
            params = [
                {
                    "b_id": r.id,
                    "b_hot": ranking.hot_rank(r.score, r.published, at),
                    "b_active": ranking.hot_rank(r.score, r.newest_comment_time_necro, at),
                    "b_scaled": ranking.scaled_rank(r.score, r.published, at, r.users_active_month),
                }
                for r in rows
            ]
            await session.execute(
                update(Post.__table__)
                .where(Post.__table__.c.id == bindparam("b_id"))
                .values(
                    hot_rank=bindparam("b_hot"),
                    hot_rank_active=bindparam("b_active"),
                    scaled_rank=bindparam("b_scaled"),
                ),
                params,
            )
        done += len(rows)
        after = (rows[-1].published, rows[-1].id)


async def refresh_comments(db) -> int:
    done, last_id = 0, 0
    while True:
        at = now()
        async with db.write() as session:
            rows = (
                await session.execute(
                    select(Comment.id, Comment.score, Comment.published)
                    .where(Comment.hot_rank != 0, Comment.id > last_id)
                    .order_by(Comment.id)
                    .limit(BATCH)
                )
            ).all()
            if not rows:
                return done
            params = [{"b_id": r.id, "b_hot": ranking.hot_rank(r.score, r.published, at)} for r in rows]
            await session.execute(
                update(Comment.__table__)
                .where(Comment.__table__.c.id == bindparam("b_id"))
                .values(hot_rank=bindparam("b_hot")),
                params,
            )
        done += len(rows)
        last_id = rows[-1].id


async def refresh_communities(db) -> int:
    done, last_id = 0, 0
    while True:
        at = now()
        async with db.write() as session:
            rows = (
                await session.execute(
                    select(Community.id, Community.subscribers, Community.published)
                    .where(Community.id > last_id)
                    .order_by(Community.id)
                    .limit(BATCH)
                )
            ).all()
            if not rows:
                return done
            params = [{"b_id": r.id, "b_hot": ranking.community_hot_rank(r.subscribers, r.published, at)} for r in rows]
            await session.execute(
                update(Community.__table__)
                .where(Community.__table__.c.id == bindparam("b_id"))
                .values(hot_rank=bindparam("b_hot")),
                params,
            )
        done += len(rows)
        last_id = rows[-1].id


async def refresh_all(state) -> None:
    started = time.perf_counter()
    posts = await refresh_posts(state.db)
    comments = await refresh_comments(state.db)
    communities = await refresh_communities(state.db)
    log.info(
        "ranks refreshed: %d posts, %d comments, %d communities in %.2fs",
        posts,
        comments,
        communities,
        time.perf_counter() - started,
    )
