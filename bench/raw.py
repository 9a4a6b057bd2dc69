"""The physical limit: the rows a test returns, fetched by one hand-written indexed SELECT through asyncpg.

Each query is prepared once per connection and run from `concurrency` loops for a fixed time, so its median is
what the database and the driver alone need for those rows at that concurrency.
"""

from __future__ import annotations

import asyncio
import time

SORT_COLUMN = {
    "Hot": "hot_rank",
    "Active": "hot_rank_active",
    "Scaled": "scaled_rank",
    "New": "published",
    "TopDay": "score",
    "TopAll": "score",
    "Controversial": "controversy_rank",
}


def front_sql(listing: str, sort: str) -> str:
    column = SORT_COLUMN[sort]
    where = ["p.removed = false", "p.deleted = false", "c.removed = false", "c.deleted = false"]
    if sort == "TopDay":
        where.append("p.published > now() - interval '1 day'")
    if listing == "Subscribed":  # the member's communities, read first as Agora does (Lemmy PR #6396)
        where.append("p.community_id = ANY($1::int[])")
    else:
        where.append("$1::int[] IS NOT NULL")
    if listing == "Local":
        where.append("c.local = true")
    return (
        "SELECT p.*, u.name AS creator_name, c.name AS community_name FROM post p "
        "JOIN person u ON u.id = p.creator_id JOIN community c ON c.id = p.community_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.featured_local DESC, p.{column} DESC, p.id DESC LIMIT 20"
    )


COMMUNITY_SQL = (
    "SELECT p.* FROM post p WHERE p.community_id = $1 AND p.removed = false AND p.deleted = false "
    "ORDER BY p.featured_community DESC, p.hot_rank DESC, p.id DESC LIMIT 20"
)
TREE_SQL = (
    "SELECT c.*, u.name FROM comment c JOIN person u ON u.id = c.creator_id WHERE c.post_id = $1 "
    "AND c.depth < 8 ORDER BY c.depth, c.distinguished DESC, c.hot_rank DESC, c.id DESC LIMIT 300"
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
