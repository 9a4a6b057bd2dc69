"""Measure Agora over HTTP against a seeded database, next to the physical limit (the same rows by one indexed
SELECT through asyncpg), and print/save the table.

    agora bench seed --size medium                      # once, into AGORA_DATABASE_URL
    python bench/run.py --label medium-pg               # starts `agora serve`, measures, writes bench/results/

See bench/README.md for the method and how to read the table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
SORTS = ["Hot", "Active", "Scaled", "New", "TopDay", "TopAll", "Controversial"]
SORT_COLUMN = {
    "Hot": "hot_rank",
    "Active": "hot_rank_active",
    "Scaled": "scaled_rank",
    "New": "published",
    "TopDay": "score",
    "TopAll": "score",
    "Controversial": "controversy_rank",
}
PASSWORD = "benchmark password"


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    rps: float
    raw_p50_ms: float | None = None
    ratio: float | None = None
    peak_rss_mib: float | None = None
    notes: list[str] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def load(make_request, *, concurrency: int, duration: float, warmup: float) -> tuple[list[float], int, float]:
    """Run `make_request(client)` from `concurrency` loops; latencies (s) and errors after the warm-up."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        start = time.monotonic()
        measure_from = start + warmup
        stop = measure_from + duration

        async def worker():
            nonlocal errors
            while (now := time.monotonic()) < stop:
                try:
                    response = await make_request(client)
                    ok = response.status_code < 400
                except httpx.HTTPError:
                    ok = False
                end = time.monotonic()
                if now >= measure_from:
                    latencies.append(end - now)
                    errors += 0 if ok else 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors, duration


async def raw_load(pool, sql: str, args: tuple, *, concurrency: int, duration: float, warmup: float) -> list[float]:
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
    return latencies


def peak_rss_mib(pid: int) -> float:
    """Largest VmHWM among the server process and its workers."""
    peaks = []
    for candidate in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return max(peaks) if peaks else float("nan")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def start_server(database_url: str, workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "AGORA_DATABASE_URL": database_url,
        "AGORA_RATE_LIMITS_ENABLED": "0",
        "AGORA_LOG_LEVEL": "WARNING",
    }
    agora = shutil.which("agora", path=str(Path(sys.executable).parent)) or "agora"
    process = subprocess.Popen([agora, "serve", "--port", str(port), "--workers", str(workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/v3/site", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def _front_sql(listing: str, sort: str) -> str:
    column = SORT_COLUMN[sort]
    where = ["p.removed = false", "p.deleted = false", "c.removed = false", "c.deleted = false"]
    if sort == "TopDay":
        where.append("p.published > now() - interval '1 day'")
    if listing == "Subscribed":
        where.append("p.community_id IN (SELECT community_id FROM community_follower WHERE person_id = $1)")
    else:
        where.append("$1::int IS NOT NULL")
    if listing == "Local":
        where.append("c.local = true")
    return (
        "SELECT p.*, u.name AS creator_name, c.name AS community_name FROM post p "
        "JOIN person u ON u.id = p.creator_id JOIN community c ON c.id = p.community_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.featured_local DESC, p.{column} DESC, p.id DESC LIMIT 20"
    )


async def measure(args) -> list[Result]:
    database_url = args.database_url
    postgres = database_url.startswith("postgresql")
    workers = args.workers or (2 if postgres else 1)
    process, base = start_server(database_url, workers)
    results: list[Result] = []
    pool = None
    try:
        if postgres:
            import asyncpg

            pool = await asyncpg.create_pool(database_url.replace("+asyncpg", ""), min_size=8, max_size=8)
        login = httpx.post(f"{base}/api/v3/user/login", json={"username_or_email": "bench0", "password": PASSWORD})
        token = login.json()["jwt"]
        auth = {"Authorization": f"Bearer {token}"}
        me = 1
        hot_post = httpx.get(f"{base}/api/v3/post/list", params={"sort": "MostComments", "limit": 1}).json()["posts"][0]
        biggest = httpx.get(f"{base}/api/v3/community/list", params={"sort": "TopAll", "limit": 1}).json()
        community_id = biggest["communities"][0]["community"]["id"]
        post_ids = [
            p["post"]["id"]
            for p in httpx.get(f"{base}/api/v3/post/list", params={"sort": "New", "limit": 50}).json()["posts"]
        ]

        async def run(name, make_request, raw=None, headers=None):
            latencies, errors, duration = await load(
                make_request, concurrency=args.concurrency, duration=args.duration, warmup=args.warmup
            )
            result = Result(
                name,
                len(latencies),
                errors,
                percentile(latencies, 0.5) * 1000,
                percentile(latencies, 0.99) * 1000,
                len(latencies) / duration,
            )
            if raw is not None and pool is not None:
                raw_latencies = await raw_load(
                    pool, raw[0], raw[1], concurrency=args.concurrency, duration=min(args.duration, 3), warmup=0.5
                )
                result.raw_p50_ms = percentile(raw_latencies, 0.5) * 1000
                result.ratio = result.p50_ms / result.raw_p50_ms if result.raw_p50_ms else None
            result.peak_rss_mib = peak_rss_mib(process.pid)
            results.append(result)
            print(
                f"{name:<38} p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  {result.rps:7.1f} req/s"
                + (f"  raw p50 {result.raw_p50_ms:.2f} ms  ratio {result.ratio:.1f}" if result.ratio else "")
                + (f"  errors {errors}" if errors else ""),
                flush=True,
            )

        for listing in ("All", "Local", "Subscribed"):
            for sort in SORTS:
                params = {"type_": listing, "sort": sort, "limit": 20}
                headers = auth if listing == "Subscribed" else {}

                def front(client, params=params, headers=headers):
                    return client.get(f"{base}/api/v3/post/list", params=params, headers=headers)

                await run(f"front {listing} {sort}", front, (_front_sql(listing, sort), (me,)))

        # page 200 through the keyset cursor, next to page 1
        cursor = None
        for _ in range(199):
            page = httpx.get(
                f"{base}/api/v3/post/list",
                params={"sort": "New", "limit": 20, "page_cursor": cursor} if cursor else {"sort": "New", "limit": 20},
            ).json()
            cursor = page.get("next_page")
            if not cursor:
                break
        if cursor:

            def page200(client, cursor=cursor):
                return client.get(
                    f"{base}/api/v3/post/list", params={"sort": "New", "limit": 20, "page_cursor": cursor}
                )

            await run("front All New page 200 (cursor)", page200)

        def community_page(client):
            return client.get(
                f"{base}/api/v3/post/list", params={"community_id": community_id, "sort": "Hot", "limit": 20}
            )

        await run(
            "community page Hot",
            community_page,
            (
                "SELECT p.* FROM post p WHERE p.community_id = $1 AND p.removed = false AND p.deleted = false "
                "ORDER BY p.featured_community DESC, p.hot_rank DESC, p.id DESC LIMIT 20",
                (community_id,),
            ),
        )

        def tree(client):
            return client.get(
                f"{base}/api/v3/comment/list",
                params={"post_id": hot_post["post"]["id"], "max_depth": 8, "sort": "Hot", "type_": "All"},
            )

        await run(
            f"post with {hot_post['counts']['comments']:,} comments",
            tree,
            (
                "SELECT c.*, u.name FROM comment c JOIN person u ON u.id = c.creator_id WHERE c.post_id = $1 "
                "AND c.depth < 8 ORDER BY c.hot_rank DESC, c.id DESC LIMIT 300",
                (hot_post["post"]["id"],),
            ),
        )

        def site(client):
            return client.get(f"{base}/api/v3/site")

        await run(
            "GET /site",
            site,
            ("SELECT * FROM local_site JOIN site ON site.id = local_site.site_id WHERE $1::int IS NOT NULL", (1,)),
        )

        def do_login(client):
            return client.post(
                f"{base}/api/v3/user/login",
                json={"username_or_email": f"bench{random.randint(1, 900)}", "password": PASSWORD},
            )

        await run("login", do_login)

        def comment(client):
            return client.post(
                f"{base}/api/v3/comment",
                json={"post_id": random.choice(post_ids), "content": "benchmark comment"},
                headers=auth,
            )

        await run("create comment", comment)

        def vote(client):
            return client.post(
                f"{base}/api/v3/post/like",
                json={"post_id": random.choice(post_ids), "score": random.choice((1, -1))},
                headers=auth,
            )

        await run("vote", vote)
    finally:
        if pool is not None:
            await pool.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("AGORA_DATABASE_URL", "sqlite+aiosqlite:///./agora.db")
    )
    parser.add_argument("--label", default="run", help="name of the results file (bench/results/LABEL.json)")
    parser.add_argument("--workers", type=int, help="server processes (default 2 on PostgreSQL, 1 on SQLite)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per test")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each test")
    args = parser.parse_args()
    results = asyncio.run(measure(args))
    out = ROOT / "results" / f"{args.label}.json"
    out.parent.mkdir(exist_ok=True)
    meta = {
        "label": args.label,
        "database": args.database_url.split("://", 1)[0],
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out.write_text(json.dumps({"meta": meta, "results": [asdict(r) for r in results]}, indent=1))
    errors = sum(r.errors for r in results)
    print(
        f"wrote {out}; {sum(r.requests for r in results):,} requests, {errors} errors; "
        f"median ratio to raw {statistics.median([r.ratio for r in results if r.ratio] or [float('nan')]):.1f}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
