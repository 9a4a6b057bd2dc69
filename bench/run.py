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
import raw

import load  # bench/load.py and bench/raw.py: the script's own directory is on sys.path

ROOT = Path(__file__).resolve().parent
SORTS = ["Hot", "Active", "Scaled", "New", "TopDay", "TopAll", "Controversial"]
PASSWORD = "benchmark password"
LISTINGS = ("front", "community", "post with")


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    rps: float
    server_cpu_ms: float  # server processes' CPU per request
    db_cpu_ms: float | None  # PostgreSQL backends' CPU per request
    raw_p50_ms: float | None = None
    ratio: float | None = None
    peak_rss_mib: float | None = None
    other_cpu_share: float = 0.0  # of the machine, used by something else during the test
    latency_overcount: float = 1.0  # load.Run.latency_overcount: above 1.05, the p50/p99 are wrk's miscount
    notes: list[str] = field(default_factory=list)


def peak_rss_mib(pid: int) -> float:
    """Largest VmHWM among the server process and its workers."""
    peaks = []
    for candidate in load.children(pid):
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return max(peaks) if peaks else float("nan")


def start_server(
    database_url: str, workers: int, anonymous_cache: float | None = None, viewer_cache: float | None = None
) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "AGORA_DATABASE_URL": database_url,
        "AGORA_RATE_LIMITS_ENABLED": "0",
        "AGORA_SCHEDULER_ENABLED": "0",  # the rank refresh is measured on purpose, by its own test
        "AGORA_LOG_LEVEL": "WARNING",
    }
    # Served on a free port under the hostname the seeded database keeps (`agora bench seed` gives a new one the
    # default), since `agora serve --port` alone would name it after the port and be refused.
    env.setdefault("AGORA_HOSTNAME", "localhost:8536")
    if anonymous_cache is not None:
        env["AGORA_ANONYMOUS_CACHE_SECONDS"] = str(anonymous_cache)
    if viewer_cache is not None:
        env["AGORA_VIEWER_CACHE_SECONDS"] = str(viewer_cache)
    agora = shutil.which("agora", path=str(Path(sys.executable).parent)) or "agora"
    process = subprocess.Popen([agora, "serve", "--port", str(port), "--workers", str(workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(6000):
        try:
            if httpx.get(f"{base}/api/v3/site", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit("agora serve exited")
        time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


class Bench:
    def __init__(self, args, process: subprocess.Popen, base: str, pool) -> None:
        self.args, self.process, self.base, self.pool = args, process, base, pool
        self.results: list[Result] = []
        self.loop = asyncio.get_running_loop()

    def server_pids(self) -> list[int]:
        return load.children(self.process.pid)

    def db_pids(self) -> list[int]:
        if self.pool is None:
            return []
        return asyncio.run_coroutine_threadsafe(self._db_pids(), self.loop).result()

    async def _db_pids(self) -> list[int]:
        rows = await self.pool.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = 'agora'")
        return [r["pid"] for r in rows]

    async def run(self, name: str, requests: list[load.Request], raw_query=None, quiet=False, warmup=None) -> Result:
        args = self.args
        measured = await asyncio.to_thread(
            load.run,
            self.base,
            requests,
            duration=max(1, round(args.duration)),
            warmup=max(0, round(args.warmup if warmup is None else warmup)),
            concurrency=args.concurrency,
            server_pids=self.server_pids,
            db_pids=self.db_pids,
        )
        n = max(1, measured.requests)
        result = Result(
            name,
            measured.requests,
            measured.errors,
            measured.p50_ms,
            measured.p99_ms,
            measured.requests / measured.seconds,
            server_cpu_ms=1000 * measured.server_cpu_s / n,
            db_cpu_ms=1000 * measured.db_cpu_s / n if self.pool is not None else None,
            other_cpu_share=measured.other_cpu_s / (measured.seconds * (os.cpu_count() or 1)),
            latency_overcount=measured.latency_overcount,
        )
        if raw_query is not None and self.pool is not None:
            result.raw_p50_ms = await raw.median_ms(
                self.pool,
                raw_query[0],
                raw_query[1],
                concurrency=args.concurrency,
                duration=min(args.duration, 3),
                warmup=0.5,
            )
            result.ratio = result.p50_ms / result.raw_p50_ms if result.raw_p50_ms else None
        result.peak_rss_mib = peak_rss_mib(self.process.pid)
        self.results.append(result)
        if not quiet:
            print(_line(result), flush=True)
        return result


def _line(r: Result) -> str:
    db = f" + db {r.db_cpu_ms:5.2f}" if r.db_cpu_ms is not None else ""
    return (
        f"{r.name:<36} p50 {r.p50_ms:6.1f} ms  p99 {r.p99_ms:6.1f} ms  {r.rps:7.1f} req/s  "
        f"cpu {r.server_cpu_ms:5.2f}{db} ms/req"
        + (f"  raw p50 {r.raw_p50_ms:.2f} ms  ratio {r.ratio:.1f}" if r.ratio else "")
        + (f"  errors {r.errors}" if r.errors else "")
        + (f"  (other load {100 * r.other_cpu_share:.0f}%)" if r.other_cpu_share > 0.1 else "")
        + (f"  (wrk's latencies sum to {r.latency_overcount:.2f}x the time)" if r.latency_overcount > 1.05 else "")
    )


def get(path: str, headers: dict[str, str] | None = None, **params) -> load.Request:
    query = str(httpx.QueryParams({k: v for k, v in params.items() if v is not None}))
    return load.Request("GET", f"/api/v3{path}" + (f"?{query}" if query else ""), headers or {})


def post(path: str, body: dict, headers: dict[str, str] | None = None) -> load.Request:
    return load.Request(
        "POST", f"/api/v3{path}", {"Content-Type": "application/json", **(headers or {})}, json.dumps(body)
    )


async def measure(args) -> list[Result]:
    postgres = args.database_url.startswith("postgresql")
    workers = args.workers or (2 if postgres else 1)
    process, base = start_server(args.database_url, workers, args.anonymous_cache, args.viewer_cache)
    pool = None
    try:
        if postgres:
            import asyncpg

            pool = await asyncpg.create_pool(args.database_url.replace("+asyncpg", ""), min_size=9, max_size=9)
        bench = Bench(args, process, base, pool)
        await run_tests(bench, args)
        return bench.results
    finally:
        if pool is not None:
            await pool.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


async def run_tests(bench: Bench, args) -> None:
    base = bench.base
    api = httpx.Client(base_url=f"{base}/api/v3", timeout=60)
    token = api.post("/user/login", json={"username_or_email": "bench0", "password": PASSWORD}).json()["jwt"]
    auth = {"Authorization": f"Bearer {token}"}
    member = api.get("/site", headers=auth).json()["my_user"]["local_user_view"]["person"]["id"]
    scope = []  # bench0's communities, for the raw Subscribed query
    if bench.pool is not None:
        follows = await bench.pool.fetch("SELECT community_id FROM community_follower WHERE person_id = $1", member)
        scope = [r[0] for r in follows]
    busiest = api.get("/post/list", params={"sort": "MostComments", "limit": 50}).json()["posts"]
    # the 5,000-comment post the seeder makes (the Zipf tail can make bigger ones: the biggest is measured too)
    hot_post = min(busiest, key=lambda p: abs(p["counts"]["comments"] - 5_000))
    biggest_post = busiest[0]
    biggest = api.get("/community/list", params={"sort": "TopAll", "limit": 1}).json()
    community_id = biggest["communities"][0]["community"]["id"]
    post_ids = [p["post"]["id"] for p in api.get("/post/list", params={"sort": "New", "limit": 50}).json()["posts"]]
    only = set(args.only.split(",")) if args.only else None

    def wanted(name: str) -> bool:
        return only is None or any(name.startswith(o) for o in only)

    for listing in ("All", "Local", "Subscribed"):
        for sort in SORTS:
            name = f"front {listing} {sort}"
            if wanted(name):
                headers = auth if listing == "Subscribed" else {}
                request = get("/post/list", headers, type_=listing, sort=sort, limit=20)
                await bench.run(name, [request], (raw.front_sql(listing, sort), (scope, member)))
    # A logged-in member's All is never answered by the anonymous read cache: what most app users read.
    for sort in ("Hot", "New"):
        if wanted(f"front All {sort} as a member"):
            request = get("/post/list", auth, type_="All", sort=sort, limit=20)
            sql = raw.front_sql("All", sort, member=True)
            await bench.run(f"front All {sort} as a member", [request], (sql, (scope, member)))

    if wanted("front All New page 200"):
        cursor = None
        for _ in range(199):  # page 200 through the keyset cursor, next to page 1 (= front All New)
            page = api.get("/post/list", params={"sort": "New", "limit": 20, "page_cursor": cursor}).json()
            cursor = page.get("next_page")
            if not cursor:
                break
        if cursor:
            await bench.run("front All New page 200", [get("/post/list", sort="New", limit=20, page_cursor=cursor)])

    if wanted("community page"):
        request = get("/post/list", community_id=community_id, sort="Hot", limit=20)
        await bench.run("community page Hot", [request], (raw.COMMUNITY_SQL, (community_id,)))
    if wanted("community page Hot as a member"):
        request = get("/post/list", auth, community_id=community_id, sort="Hot", limit=20)
        await bench.run("community page Hot as a member", [request], (raw.COMMUNITY_MEMBER_SQL, (community_id, member)))

    for thread in (hot_post, biggest_post) if biggest_post is not hot_post else (hot_post,):
        name = f"post with {thread['counts']['comments']:,} comments"
        if wanted("post with"):
            request = get("/comment/list", post_id=thread["post"]["id"], max_depth=8, sort="Hot", type_="All")
            await bench.run(name, [request], (raw.TREE_SQL, (thread["post"]["id"],)))

    if wanted("GET /site"):
        await bench.run("GET /site", [get("/site")], (raw.SITE_SQL, (1,)))
    if wanted("GET /site as a member"):  # apps ask for it on start, with the member's follows (50) and blocks
        await bench.run("GET /site as a member", [get("/site", auth)])
    rng = random.Random(1)
    if wanted("login"):
        logins = [post("/user/login", {"username_or_email": f"bench{i}", "password": PASSWORD}) for i in range(900)]
        await bench.run("login", logins)
    if wanted("create comment"):
        comments = [
            post("/comment", {"post_id": rng.choice(post_ids), "content": "benchmark comment"}, auth)
            for _ in range(200)
        ]
        await bench.run("create comment", comments)
    if wanted("vote"):
        votes = [
            post("/post/like", {"post_id": rng.choice(post_ids), "score": rng.choice((1, -1))}, auth)
            for _ in range(200)
        ]
        await bench.run("vote", votes)
    if wanted("rank refresh") and not args.no_rank_refresh:
        await _rank_refresh(bench, args, auth)


async def _rank_refresh(bench: Bench, args, auth: dict[str, str]) -> None:
    """A full rank refresh as the scheduler runs it, and the front page's latency while it runs: measured in
    windows of the test duration until the refresh ends (at most `--refresh-windows` of them). The member's
    Subscribed Hot page is the one measured: an anonymous page would come from the read cache, not the database
    the refresh is writing to."""
    env = {**os.environ, "AGORA_DATABASE_URL": args.database_url}
    front = [get("/post/list", auth, type_="Subscribed", sort="Hot", limit=20)]
    # One window before the refresh, warmed up as every other test is: the first seconds of a load are slower
    # whatever runs beside them (a refresh that only slept gave 107 and 91 ms in its first two windows, 26-36 ms
    # after), and the baseline says what the refresh adds.
    before = await bench.run("", front, quiet=True)
    started = time.monotonic()
    refresh = subprocess.Popen([sys.executable, str(ROOT / "refresh.py")], env=env, stdout=subprocess.DEVNULL)
    windows: list[Result] = []
    try:
        while refresh.poll() is None and len(windows) < args.refresh_windows:
            windows.append(await bench.run("", front, quiet=True, warmup=0))
    finally:
        refresh.wait()
    took = time.monotonic() - started
    bench.results = [r for r in bench.results if all(r is not w for w in [before, *windows])]
    if not windows:
        print(f"{'rank refresh':<36} took {took:.1f} s, too short to measure requests during it", flush=True)
        return
    n = sum(w.requests for w in windows)
    result = Result(
        "front Subscribed Hot during rank refresh",
        n,
        sum(w.errors for w in windows),
        statistics.median(w.p50_ms for w in windows),
        max(w.p99_ms for w in windows),
        n / (len(windows) * max(1, round(args.duration))),
        server_cpu_ms=sum(w.server_cpu_ms * w.requests for w in windows) / max(1, n),
        db_cpu_ms=None,  # the refresh's own database work is not the requests'
        peak_rss_mib=max(w.peak_rss_mib or 0 for w in windows),
        other_cpu_share=max(w.other_cpu_share for w in windows),
        notes=[
            f"a full rank refresh took {took:.1f} s; {len(windows)} windows measured while it ran",
            "p99 of each window (ms): " + ", ".join(f"{w.p99_ms:.1f}" for w in windows),
            f"the window before it: p50 {before.p50_ms:.1f} ms, p99 {before.p99_ms:.1f} ms, {before.rps:.0f} req/s",
        ],
    )
    bench.results.append(result)
    print(_line(result) + f"  (refresh took {took:.1f} s)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("AGORA_DATABASE_URL", "sqlite+aiosqlite:///./agora.db")
    )
    parser.add_argument("--label", default="run", help="name of the results file (bench/results/LABEL.json)")
    parser.add_argument("--workers", type=int, help="server processes (default 2 on PostgreSQL, 1 on SQLite)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per test (whole seconds)")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each test")
    parser.add_argument(
        "--anonymous-cache",
        type=float,
        metavar="SECONDS",
        help="AGORA_ANONYMOUS_CACHE_SECONDS of the server (default: its own, 1 s; 0 measures every read uncached)",
    )
    parser.add_argument(
        "--viewer-cache",
        type=float,
        metavar="SECONDS",
        help="AGORA_VIEWER_CACHE_SECONDS of the server (default: its own, 5 s; 0 reads the member on every request)",
    )
    parser.add_argument("--only", help="comma-separated name prefixes of the tests to run")
    parser.add_argument("--no-rank-refresh", action="store_true", help="skip the rank refresh test")
    parser.add_argument(
        "--refresh-windows", type=int, default=12, help="measured windows while the rank refresh runs (at most)"
    )
    args = parser.parse_args()
    load.require_wrk()
    results = asyncio.run(measure(args))
    out = ROOT / "results" / f"{args.label}.json"
    out.parent.mkdir(exist_ok=True)
    meta = {
        "label": args.label,
        "database": args.database_url.split("://", 1)[0],
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "load_generator": "wrk -t1",
        "anonymous_cache_s": args.anonymous_cache,
        "viewer_cache_s": args.viewer_cache,
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out.write_text(json.dumps({"meta": meta, "results": [asdict(r) for r in results]}, indent=1))
    errors = sum(r.errors for r in results)
    listing_ratios = [r.ratio for r in results if r.ratio and r.name.startswith(LISTINGS)]
    print(
        f"wrote {out}; {sum(r.requests for r in results):,} requests, {errors} errors; "
        f"median listing ratio to raw {statistics.median(listing_ratios or [float('nan')]):.1f}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
