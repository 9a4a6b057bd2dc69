"""Agora as a cluster on one machine: the member and the anonymous front page and comment creation, served by 1 and
by 3 `agora serve` processes (and by one with 3 workers), on a PostgreSQL primary with and without its streaming
replica, and where each request's database time goes.

    PYTHONPATH=src .venv/bin/python bench/cluster.py [--duration 12] [--layouts 1,3,1x3,3r] [--rounds 1]

It makes a private primary and a streaming standby of it (tests/support/pgcluster.py; needs Debian's PostgreSQL,
run as root or as the postgres user), with fsync on and pg_stat_statements loaded, seeds the small set into it
(`agora bench seed --size small`) and logs in MEMBERS of its people. Every layout's processes share the hostname,
the database and a Redis (AGORA_REDIS_URL); the anonymous read cache is off, so every anonymous page reaches a
database (the replica's, when the layout has one). Each test is a warm-up second and then --duration seconds of
latency.spread: keep-alive connections shared out among the processes' ports (a member's own on the member's page
and for comments), each timing its requests on the monotonic clock (their latencies add up to the connection time;
the table shows both). Meanwhile every 50 ms the backends of the servers are sampled in pg_stat_activity (state
and wait event) on the primary and the standby, and pg_stat_statements is read before and after. Results:
bench/results/cluster.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import counters
import httpx
import latency

import load  # bench/counters.py, latency.py and load.py: the script's own directory is on sys.path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: its test support makes the clusters
from tests.support.pgcluster import PrivateCluster, primary_with_standby

ROOT = Path(__file__).resolve().parent
DATABASE = "agora_bench_cluster"
MEMBERS = 32
POSTS = 200
FRONT = "/api/v3/post/list?type_=All&sort=Hot&limit=20"
SUMMARY = ("rps", "p50_ms", "p99_ms", "server_cpu_ms", "db_cpu_ms", "exec_ms", "lock_waits_ms", "errors")
PG_SETTINGS = {
    "fsync": "on",  # commits wait for their WAL flush, as in production
    "shared_preload_libraries": "pg_stat_statements",
    "max_connections": "200",
}


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    processes: int
    workers: int
    replica: bool


LAYOUTS = {
    layout.key: layout
    for layout in (
        Layout("1", "1 process", 1, 1, False),
        Layout("3", "3 processes", 3, 1, False),
        Layout("1x3", "1 process, 3 workers", 1, 3, False),
        Layout("3r", "3 processes + replica", 3, 1, True),
    )
}


class Sampler:
    """pg_stat_activity of the servers' backends on one database server, every 50 ms: how many backends were in
    each state (`active` with its wait event, or `CPU` for none; `idle in transaction`: a transaction held open
    while the server works in Python), summed over the samples, and the statements that waited on a lock."""

    QUERY = (
        "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity"
        " WHERE application_name = 'agora' AND state <> 'idle'"
    )

    def __init__(self, name: str, conn: asyncpg.Connection) -> None:
        self.name, self.conn = name, conn
        self.samples = 0
        self.states: Counter[str] = Counter()
        self.locked: Counter[str] = Counter()

    async def run(self, until: float) -> None:
        while time.monotonic() < until:
            for row in await self.conn.fetch(self.QUERY):
                if row["state"] == "active":
                    wait = f"{row['wait_event_type']}:{row['wait_event']}" if row["wait_event_type"] else "CPU"
                    self.states[f"{self.name} {wait}"] += 1
                    if row["wait_event_type"] == "Lock":
                        self.locked[" ".join(row["query"].split()[:4])] += 1
                else:
                    self.states[f"{self.name} {row['state']}"] += 1
            self.samples += 1
            await asyncio.sleep(0.05)


async def statements(conn: asyncpg.Connection) -> dict:
    """The servers' statements so far in pg_stat_statements (the samplers' own left out): calls and execution ms,
    with the three that took most of it."""
    where = (
        "dbid = (SELECT oid FROM pg_database WHERE datname = $1)"
        " AND query NOT LIKE '%pg_stat%' AND query NOT LIKE '%_lsn(%'"
    )
    total = await conn.fetchrow(
        f"SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(total_exec_time), 0) AS ms"
        f" FROM pg_stat_statements WHERE {where}",
        DATABASE,
    )
    top = await conn.fetch(
        f"SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query, calls, total_exec_time AS ms"
        f" FROM pg_stat_statements WHERE {where} ORDER BY total_exec_time DESC LIMIT 3",
        DATABASE,
    )
    return {"calls": int(total["calls"]), "ms": float(total["ms"]), "top": [dict(r) for r in top]}


class Cluster:
    """The running primary and standby, with a monitoring connection to each."""

    def __init__(self, primary: PrivateCluster, standby: PrivateCluster) -> None:
        self.primary, self.standby = primary, standby

    async def __aenter__(self) -> Cluster:
        self.conns = {
            name: await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{cluster.port}/{DATABASE}")
            for name, cluster in (("primary", self.primary), ("replica", self.standby))
        }
        return self

    async def __aexit__(self, *exc: object) -> None:
        for conn in self.conns.values():
            await conn.close()

    def pids(self) -> list[int]:
        out = []
        for cluster in (self.primary, self.standby):
            postmaster = int((cluster.dir / "postmaster.pid").read_text().split()[0])
            out += load.children(postmaster)
        return out

    async def caught_up(self) -> None:
        """Wait until the standby has replayed everything the primary wrote so far."""
        lsn = await self.conns["primary"].fetchval("SELECT pg_current_wal_lsn()")
        while await self.conns["replica"].fetchval("SELECT pg_last_wal_replay_lsn() < $1::pg_lsn", lsn):
            await asyncio.sleep(0.1)


async def measure(
    cluster: Cluster,
    servers: list[counters.Served],
    connections: list[tuple[int, list[bytes]]],
    duration: float,
) -> dict:
    await latency.spread(connections, 1.0)  # warm-up
    await cluster.caught_up()
    for conn in cluster.conns.values():
        await conn.execute("SELECT pg_stat_statements_reset()")
    server_pids = [pid for served in servers for pid in load.children(served.process.pid)]
    db_pids = cluster.pids()
    before = (load.cpu_seconds(server_pids), load.cpu_seconds(db_pids), load.machine_busy_seconds())
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    samplers = [Sampler(name, conn) for name, conn in cluster.conns.items()]
    until = time.monotonic() + duration
    sampling = [asyncio.create_task(sampler.run(until)) for sampler in samplers]
    run = await latency.spread(connections, duration)
    await asyncio.gather(*sampling)
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu = load.cpu_seconds(server_pids) - before[0]
    db_cpu = load.cpu_seconds(sorted(set(db_pids) | set(cluster.pids()))) - before[1]  # and backends opened since
    busy = load.machine_busy_seconds() - before[2]
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    done = max(run["requests"], 1)
    per_request = {name: await statements(conn) for name, conn in cluster.conns.items()}
    # Little's law: backends in a state on average, over requests a second, is that state's time per request.
    rate = run["rps"] or float("nan")
    db_time = {
        state: count / max(sampler.samples, 1) / rate * 1000
        for sampler in samplers
        for state, count in sampler.states.items()
    }
    locked = sum((sampler.locked for sampler in samplers), Counter[str]())
    return {
        "rps": round(run["rps"], 1),
        "requests": run["requests"],
        "errors": run["errors"],
        "p50_ms": round(run["p50_ms"], 2),
        "p99_ms": round(run["p99_ms"], 2),
        "latency_sum_s": round(run["latency_s"], 1),
        "connection_s": round(run["connection_s"], 1),
        "server_cpu_ms": round(1000 * server_cpu / done, 3),
        "db_cpu_ms": round(1000 * db_cpu / done, 3),
        "client_cpu_ms": round(1000 * client_cpu / done, 3),
        "other_cpu_share": round(max(0.0, busy - server_cpu - db_cpu - client_cpu) / (2 * duration), 2),
        "exec_ms": round(sum(s["ms"] for s in per_request.values()) / done, 3),
        "statements": {
            name: {
                "per_request": round(s["calls"] / done, 2),
                "exec_ms": round(s["ms"] / done, 3),
                "top": [
                    {"query": t["query"], "calls": t["calls"], "ms_per_request": round(t["ms"] / done, 3)}
                    for t in s["top"]
                ],
            }
            for name, s in per_request.items()
        },
        "db_ms_by_state": {state: round(ms, 3) for state, ms in sorted(db_time.items(), key=lambda i: -i[1])},
        "samples": {sampler.name: sampler.samples for sampler in samplers},
        "lock_waits_ms": round(sum(ms for state, ms in db_time.items() if " Lock:" in state), 3),
        "waiting_on_lock": dict(locked.most_common(3)),
    }


def start(layout: Layout, cluster: Cluster, src: str, redis: str, workdir: Path) -> list[counters.Served]:
    env = {"AGORA_REDIS_URL": redis, "AGORA_ANONYMOUS_CACHE_SECONDS": "0"}
    if layout.replica:
        env["AGORA_DATABASE_REPLICA_URLS"] = cluster.standby.url(DATABASE)
    url = cluster.primary.url(DATABASE)
    return [counters.Served(src, url, layout.workers, workdir, env) for _ in range(layout.processes)]


def log_in(base: str) -> list[str]:
    with httpx.Client(base_url=f"{base}/api/v3", timeout=60) as client:
        return [
            client.post("/user/login", json={"username_or_email": f"bench{i}", "password": counters.PASSWORD})
            .raise_for_status()
            .json()["jwt"]
            for i in range(MEMBERS)
        ]


async def open_posts(conn: asyncpg.Connection) -> list[int]:
    """POSTS posts anyone may comment on, at random."""
    rows = await conn.fetch(
        "SELECT p.id FROM post p JOIN community c ON c.id = p.community_id WHERE NOT (p.locked OR p.deleted"
        " OR p.removed OR c.deleted OR c.removed OR c.posting_restricted_to_mods) ORDER BY random() LIMIT $1",
        POSTS,
    )
    return [row["id"] for row in rows]


def tests(
    ports: list[int], tokens: list[str], posts: list[int], reads: int, writes: int
) -> dict[str, list[tuple[int, list[bytes]]]]:
    """Each test's connections, shared out in turn among the ports (as a balancer would): on the member's page and
    for comments, connection i is member i (one request of theirs at a time, as a person makes them); a member
    comments on any of `posts`."""

    def member(i: int) -> str:
        return f"Authorization: Bearer {tokens[i]}"

    def comment(port: int, i: int, post: int) -> bytes:
        body = json.dumps({"post_id": post, "content": f"comment by {i} through {port}"}).encode()
        return latency.encode(port, "POST", "/api/v3/comment", [member(i), "Content-Type: application/json"], body)

    def port(i: int) -> int:
        return ports[i % len(ports)]

    return {
        "member front page": [(port(i), [latency.encode(port(i), "GET", FRONT, [member(i)])]) for i in range(reads)],
        "anonymous front page": [(port(i), [latency.encode(port(i), "GET", FRONT, [])]) for i in range(reads)],
        "create comment": [(port(i), [comment(port(i), i, post) for post in posts]) for i in range(writes)],
    }


def seed(cluster: PrivateCluster, src: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": src,
        "AGORA_DATABASE_URL": cluster.url(DATABASE),
        "AGORA_HOSTNAME": counters.HOSTNAME,
    }
    agora = str(Path(sys.executable).parent / "agora")
    subprocess.run([agora, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([agora, "bench", "seed", "--size", "small"], env=env, check=True)
    cluster.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", DATABASE)


def summary_line(layout: str, test: str, run: dict) -> str:
    waits = ", ".join(f"{state} {ms:.2f}" for state, ms in list(run["db_ms_by_state"].items())[:3])
    return (
        f"{layout:<22} {test:<21} {run['rps']:>7} {run['p50_ms']:>7} {run['p99_ms']:>8}"
        f" {run['latency_sum_s']:>5}/{run['connection_s']:<5} {run['server_cpu_ms']:>7} {run['db_cpu_ms']:>6}"
        f" {run['exec_ms']:>7.3f} {run['lock_waits_ms']:>6}  {waits}"
        + (f"  ({run['errors']} errors)" if run["errors"] else "")
    )


async def bench(args: argparse.Namespace, cluster: Cluster, workdir: Path) -> dict:
    layouts = [LAYOUTS[key] for key in args.layouts.split(",")]
    posts = await open_posts(cluster.conns["primary"])
    tokens: list[str] = []
    runs: dict[str, dict[str, list[dict]]] = {layout.name: {} for layout in layouts}
    header = (
        f"{'layout':<22} {'test':<21} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>8} {'lat/conn s':>11} {'cpu ms':>7}"
        f" {'db cpu':>6} {'exec ms':>7} {'lock ms':>6}  db ms a request by state"
    )
    print(header, flush=True)
    for round_ in range(args.rounds):
        for layout in layouts if round_ % 2 == 0 else list(reversed(layouts)):
            servers = start(layout, cluster, args.src, args.redis, workdir)
            try:
                tokens = tokens or log_in(servers[0].base)
                ports = [served.port for served in servers]
                for test, connections in tests(ports, tokens, posts, args.reads, args.writes).items():
                    run = await measure(cluster, servers, connections, args.duration)
                    runs[layout.name].setdefault(test, []).append(run)
                    print(summary_line(layout.name, test, run), flush=True)
            finally:
                for served in servers:
                    served.stop()
    summary = [
        {"layout": name, "test": test, **{k: statistics.median(r[k] for r in rs) for k in SUMMARY}}
        for name, by_test in runs.items()
        for test, rs in by_test.items()
    ]
    return {"summary": summary, "runs": runs}


async def main_async(args: argparse.Namespace, primary: PrivateCluster, standby: PrivateCluster) -> dict:
    async with Cluster(primary, standby) as cluster:
        await cluster.caught_up()
        workdir = Path(tempfile.mkdtemp(prefix="agora-bench-cluster-"))
        return await bench(args, cluster, workdir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", default=str(ROOT.parent / "src"), help="the code tree to serve (its src folder)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help=f"of {', '.join(LAYOUTS)}")
    parser.add_argument("--duration", type=float, default=12, help="measured seconds of each test")
    parser.add_argument("--rounds", type=int, default=1, help="each round runs every layout (in turn reversed)")
    parser.add_argument("--reads", type=int, default=8, help="connections reading a front page")
    parser.add_argument("--writes", type=int, default=MEMBERS, help=f"members commenting (at most {MEMBERS})")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--out", default=str(ROOT / "results" / "cluster.json"))
    args = parser.parse_args()
    if not (1 <= args.reads <= MEMBERS and 1 <= args.writes <= MEMBERS):
        parser.error(f"--reads and --writes: 1 to {MEMBERS}")
    if unknown := set(args.layouts.split(",")) - set(LAYOUTS):
        parser.error(f"unknown layouts {', '.join(sorted(unknown))}: choose from {', '.join(LAYOUTS)}")
    started = time.time()
    with primary_with_standby(DATABASE, PG_SETTINGS) as (primary, standby):
        seed(primary, args.src)
        result = asyncio.run(main_async(args, primary, standby))
    settings = {
        "dataset": "small (10k posts, 100k comments, 200 communities, 5k people)",
        "duration": args.duration,
        "rounds": args.rounds,
        "read_connections": args.reads,
        "write_connections": args.writes,
        "members": MEMBERS,
        "posts_commented": POSTS,
        "postgres": PG_SETTINGS,
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
        "load_average": os.getloadavg(),
    }
    Path(args.out).write_text(json.dumps({"settings": settings, **result}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
