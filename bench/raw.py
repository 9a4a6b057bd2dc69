"""The physical limit: the rows a test returns, fetched by one hand-written indexed SELECT through asyncpg.

"The rows" are what the answer shows: the columns Agora's views read (agora.queries.columns) of the post, its
creator and its community, the author's badges, and a member's own marks; not `SELECT *`, which would also
decode the search columns no page shows.

Each query is prepared once per connection and run from `concurrency` loops for a fixed time, so its median is
what the database and the driver alone need for those rows at that concurrency.
"""

from __future__ import annotations

import asyncio
import time

from agora.queries import columns

SORT_COLUMN = {
    "Hot": "hot_rank",
    "Active": "hot_rank_active",
    "Scaled": "scaled_rank",
    "New": "published",
    "TopDay": "score",
    "TopAll": "score",
    "Controversial": "controversy_rank",
}


def _columns(alias: str, names: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{name}" for name in names)


def _author_badges(community_id: str) -> str:
    """What every view shows of its author: banned from the community, moderator of it, admin."""
    c = community_id
    return (
        f"(SELECT true FROM community_person_ban b WHERE b.community_id = {c} AND b.person_id = u.id"
        " AND (b.expires IS NULL OR b.expires > now()) LIMIT 1),"
        f" (SELECT true FROM community_moderator m WHERE m.community_id = {c} AND m.person_id = u.id LIMIT 1),"
        " (SELECT true FROM local_user a WHERE a.person_id = u.id AND a.admin = true LIMIT 1)"
    )


# The member's own marks on a post that a Subscribed page shows: their vote and their follow of its community.
MEMBER_MARKS = (
    "(SELECT l.score FROM post_like l WHERE l.post_id = p.id AND l.person_id = $2),"
    " (SELECT f.pending FROM community_follower f WHERE f.community_id = p.community_id AND f.person_id = $2)"
)
POST_VIEW = (
    f"{_columns('p', columns.POST)}, {_columns('u', columns.PERSON)}, {_columns('c', columns.COMMUNITY)}, "
    + _author_badges("p.community_id")
)


def front_sql(listing: str, sort: str, *, member: bool = False) -> str:
    """A front page's 20 posts with what Agora's page shows of each: the post, its creator and its community (the
    columns Agora's views read), the author's badges, and for a member (always on Subscribed) their vote and
    follow. Arguments: the member's communities, the member's person id."""
    column = SORT_COLUMN[sort]
    where = ["p.removed = false", "p.deleted = false", "c.removed = false", "c.deleted = false"]
    if sort == "TopDay":
        where.append("p.published > now() - interval '1 day'")
    if listing == "Subscribed":  # the member's communities, read first as Agora does (Lemmy PR #6396)
        where.append("p.community_id = ANY($1::int[])")
    else:  # the same two arguments for every listing
        where += ["$1::int[] IS NOT NULL", "$2::int IS NOT NULL"]
    if listing == "Local":
        where.append("c.local = true")
    marks = f", {MEMBER_MARKS}" if member or listing == "Subscribed" else ""
    return (
        f"SELECT {POST_VIEW}{marks} FROM post p "
        "JOIN person u ON u.id = p.creator_id JOIN community c ON c.id = p.community_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.featured_local DESC, p.{column} DESC, p.id DESC LIMIT 20"
    )


COMMUNITY_SQL = (
    f"SELECT {POST_VIEW} FROM post p JOIN person u ON u.id = p.creator_id JOIN community c ON c.id = p.community_id "
    "WHERE p.community_id = $1 AND p.removed = false AND p.deleted = false "
    "ORDER BY p.featured_community DESC, p.hot_rank DESC, p.id DESC LIMIT 20"
)
COMMUNITY_MEMBER_SQL = COMMUNITY_SQL.replace(" FROM post p", f", {MEMBER_MARKS} FROM post p", 1)
# The first 300 comments of a tree with their creators and the author's badges (the post and its community, the
# same for every comment, a hand-written page would read once).
TREE_SQL = (
    f"SELECT {_columns('k', columns.COMMENT)}, {_columns('u', columns.PERSON)}, {_author_badges('p.community_id')} "
    "FROM comment k JOIN person u ON u.id = k.creator_id JOIN post p ON p.id = k.post_id WHERE k.post_id = $1 "
    "AND k.depth < 8 ORDER BY k.depth, k.distinguished DESC, k.hot_rank DESC, k.id DESC LIMIT 300"
)
SITE_SQL = "SELECT * FROM local_site JOIN site ON site.id = local_site.site_id WHERE $1::int IS NOT NULL"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def median_ms(pool, sql: str, args: tuple, *, concurrency: int, duration: float, warmup: float) -> float:
    latencies: list[float] = []
    start = time.monotonic()
    measure_from, stop = start + warmup, start + warmup + duration

    async def worker():
        async with pool.acquire() as conn:
            statement = await conn.prepare(sql)
            while (now := time.monotonic()) < stop:
                await statement.fetch(*args)
                if now >= measure_from:
                    latencies.append(time.monotonic() - now)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return percentile(latencies, 0.5) * 1000
