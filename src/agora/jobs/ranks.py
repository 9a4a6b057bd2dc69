"""Recompute the time-decaying ranks (hot, active, scaled) of recent posts and comments, and community hot rank.

Only rows whose ranks are not yet zero are visited (a rank reaches zero a week after its time and stays there), in
batches of a few thousand, each its own short transaction, so votes are never blocked for long. The database
computes the new ranks in place with the formulas of domain.ranking written as SQL (the same formulas the write
path computes in Python): reading 3M comments out and writing them back one by one took 11 minutes on the large
benchmark set, longer than the refresh interval.

A rank is only written when it has drifted from the stored value by more than a tolerance that grows with the
row's age: 1% at first, one point more per day (2% at a day old, 8% at the end of the week), or when it reaches
zero. Every write of a row costs an entry in each of its table's indexes (fourteen for a comment, one of them the
search index) and, the first time a page is touched after a checkpoint, a full-page image in the WAL; the
per-row cost of the refresh is almost all writes (measured on the large benchmark set: 4 µs to look at a comment,
40-300 µs to rewrite one). With a flat 1% half the week's rows were rewritten on every refresh, as a day-old row
loses about 1% in ten minutes, and the large set's refresh outlasted its ten-minute interval. What the wider
tolerance blurs is the order of old rows whose ranks lie within a few percent of each other; a young row is still
rewritten on every refresh (a 2-hour-old post loses 7% in ten minutes), and a vote rewrites its row's ranks
exactly, whatever its age.

Between batches the job pauses for as long as the batch took, so a refresh uses at most about half of one core
and requests keep the rest. A batch's size follows what the last one cost, aiming at BATCH_SECONDS a transaction:
rewriting a post touches all twenty-two of its table's indexes, and a fixed 5,000 posts took 0.75-1.25 s alone and
15 s while the server was busy, one long burst of writes that requests felt as a whole; on a busy machine the
batches shrink.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, bindparam, func, or_, select, tuple_, update

from agora.core.clock import now
from agora.db.engine import Database
from agora.db.models import Comment, Community, Post
from agora.deps import AppState
from agora.domain import ranking
from agora.queries.id_lists import one_of

log = logging.getLogger("agora.jobs.ranks")
BATCH_SECONDS = 0.2
BATCH_MIN, BATCH_FIRST, BATCH_MAX = 100, 1000, 5000
DUTY = 0.5  # share of the time a refresh works; the rest it sleeps between batches
DRIFT = 0.01  # a stored rank is rewritten once it is this far (relatively) from the current one, at age 0 ...
DRIFT_PER_DAY = 0.01  # ... and this much further per day of the row's age

P, C, M = Post.__table__, Comment.__table__, Community.__table__


def _drifted(
    stored: ColumnElement[float], current: ColumnElement[float], since: ColumnElement[datetime], at: datetime
) -> ColumnElement[bool]:
    """True where `current` is zero or off from `stored` by more than the tolerance for a row dated `since`."""
    tolerance = DRIFT + DRIFT_PER_DAY * ranking.hours_since(at, since) / 24
    return or_(current == 0, func.abs(current - stored) > tolerance * stored)


def next_batch(size: int, took: float) -> int:
    """The next batch's size, after one of `size` rows took `took` seconds: scaled towards BATCH_SECONDS, by at
    most a factor of two either way."""
    scale = min(2.0, max(0.5, BATCH_SECONDS / max(took, 1e-6)))
    return max(BATCH_MIN, min(BATCH_MAX, int(size * scale)))


async def _pause(started: float) -> float:
    """Sleep so that the batch begun at `started` kept to DUTY; answers how long the batch took."""
    worked = time.perf_counter() - started
    await asyncio.sleep(worked * (1 - DUTY) / DUTY)
    return worked


async def refresh_posts(db: Database) -> int:
    """Posts in (published, id) order along the partial index of non-zero ranks, a batch of ids at a time."""
    nonzero: ColumnElement[bool] = or_(P.c.hot_rank != 0, P.c.hot_rank_active != 0)
    active = select(M.c.users_active_month).where(M.c.id == P.c.community_id).scalar_subquery()
    done, after, size = 0, None, BATCH_FIRST
    while True:
        started, at = time.perf_counter(), now()
        async with db.write() as session:
            query = select(P.c.id, P.c.published).where(nonzero).order_by(P.c.published, P.c.id).limit(size)
            if after is not None:
                query = query.where(tuple_(P.c.published, P.c.id) > tuple_(*after))
            rows = (await session.execute(query)).all()
            if not rows:
                return done
            necro = P.c.newest_comment_time_necro
            ranks = {  # each rank, and the time its row's age is counted from
                "hot_rank": (ranking.hot_rank_sql(P.c.score, P.c.published, at), P.c.published),
                "hot_rank_active": (ranking.hot_rank_sql(P.c.score, necro, at), necro),
                "scaled_rank": (ranking.scaled_rank_sql(P.c.score, P.c.published, at, active), P.c.published),
            }
            drifted = or_(*(_drifted(P.c[name], rank, since, at) for name, (rank, since) in ranks.items()))
            await session.execute(
                update(P)
                .where(one_of(P.c.id, "ids"), drifted)
                .values({name: rank for name, (rank, _) in ranks.items()}),
                {"ids": [r.id for r in rows]},
            )
        done += len(rows)
        after = (rows[-1].published, rows[-1].id)
        size = next_batch(size, await _pause(started))


async def refresh_comments(db: Database) -> int:
    """Comments in id order along the partial index of non-zero ranks, an id range at a time; answers how many
    were looked at (those written are the ones that drifted)."""
    done, last_id, size = 0, 0, BATCH_FIRST
    while True:
        started, at = time.perf_counter(), now()
        async with db.write() as session:
            batch = select(C.c.id).where(C.c.hot_rank != 0, C.c.id > last_id).order_by(C.c.id).limit(size).subquery()
            upper, visited = (await session.execute(select(func.max(batch.c.id), func.count()))).one()
            if upper is None:
                return done
            rank = ranking.hot_rank_sql(C.c.score, C.c.published, at)
            in_batch = (C.c.id > last_id, C.c.id <= bindparam("upper", type_=Integer), C.c.hot_rank != 0)
            await session.execute(
                update(C).where(*in_batch, _drifted(C.c.hot_rank, rank, C.c.published, at)).values(hot_rank=rank),
                {"upper": upper},
            )
        done += visited
        last_id = upper
        size = next_batch(size, await _pause(started))


async def refresh_communities(db: Database) -> int:
    done, last_id = 0, 0
    while True:
        at = now()
        async with db.write() as session:
            rows = (
                await session.execute(
                    select(Community.id, Community.subscribers, Community.published)
                    .where(Community.id > last_id)
                    .order_by(Community.id)
                    .limit(1000)
                )
            ).all()
            if not rows:
                return done
            params = [{"b_id": r.id, "b_hot": ranking.community_hot_rank(r.subscribers, r.published, at)} for r in rows]
            await session.execute(
                update(M).where(M.c.id == bindparam("b_id")).values(hot_rank=bindparam("b_hot")),
                params,
            )
        done += len(rows)
        last_id = rows[-1].id


async def refresh_all(state: AppState) -> None:
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
