"""Comment creation by many members at once, with 1 and with 3 `agora serve` worker processes on PostgreSQL, for
two code trees in alternating rounds (this machine's speed drifts, so A then B, then B then A).

    python bench/counters.py --tree main=/work/main/src --tree counters=/work/wt-counters/src

Each tree gets its own fresh database (`agora_bench_counters_LABEL`): an operator, MEMBERS members, each with a
community and posts in it. A run starts `agora serve --workers N` with that tree on PYTHONPATH, lets CLIENTS
members comment on posts of every community as fast as the server answers for --duration seconds, and reports
comments/s, the latency, and how many PostgreSQL backends were waiting on a lock (sampled every 50 ms).
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
import tempfile
import time
from collections import Counter
from pathlib import Path

import asyncpg
import httpx

PG = os.environ.get("AGORA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PASSWORD = "benchmark password"
HOSTNAME = "localhost:8536"
MEMBERS = 32
POSTS_EACH = 2
ROOT = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`agora serve` of one tree on one database."""

    def __init__(
        self, src: str, database_url: str, workers: int, workdir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": src,
            "AGORA_DATABASE_URL": database_url,
            "AGORA_HOSTNAME": HOSTNAME,
            "AGORA_MEDIA_DIR": str(workdir / "media"),
            "AGORA_RATE_LIMITS_ENABLED": "0",
            "AGORA_SCHEDULER_ENABLED": "0",
            "AGORA_ARGON2_TIME_COST": "1",
            "AGORA_ARGON2_MEMORY_KIB": "64",
            "AGORA_LOG_LEVEL": "warning",
            **(env or {}),
        }
        self.agora = shutil.which("agora", path=str(Path(sys.executable).parent)) or "agora"
        self.process = subprocess.Popen(
            [self.agora, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=self.env,
            cwd=workdir,
            start_new_session=True,
        )
        for _ in range(600):
            try:
                if httpx.get(f"{self.base}/api/v3/site", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise SystemExit("agora serve exited")
            time.sleep(0.1)
        raise SystemExit("agora serve did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)


def database_url(name: str) -> str:
    return f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"


async def fresh_database(name: str) -> None:
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def set_up(served: Served) -> tuple[list[str], list[int]]:
    """The operator, then MEMBERS members with a community each and POSTS_EACH posts in it: (tokens, post ids)."""
    subprocess.run(
        [served.agora, "admin", "create", "operator", "--password-stdin"],
        input=f"{PASSWORD}\n",
        env=served.env,
        check=True,
        capture_output=True,
        text=True,
    )
    tokens, posts = [], []
    with httpx.Client(base_url=f"{served.base}/api/v3", timeout=60) as client:
        for i in range(MEMBERS):
            body = {"username": f"member{i}", "password": PASSWORD, "password_verify": PASSWORD}
            token = client.post("/user/register", json=body).raise_for_status().json()["jwt"]
            auth = {"Authorization": f"Bearer {token}"}
            community = client.post("/community", json={"name": f"bench_{i}", "title": f"Bench {i}"}, headers=auth)
            community_id = community.raise_for_status().json()["community_view"]["community"]["id"]
            for n in range(POSTS_EACH):
                post = client.post("/post", json={"name": f"post {n}", "community_id": community_id}, headers=auth)
                posts.append(post.raise_for_status().json()["post_view"]["post"]["id"])
            tokens.append(token)
    return tokens, posts


async def _sample_locks(database: str, until: float, samples: list[int], waiting: Counter[str]) -> None:
    """Every 50 ms: how many backends wait on a lock (`samples`), and on which statement (`waiting`: its first
    words, e.g. `UPDATE local_site SET comments`)."""
    conn = await asyncpg.connect(f"{PG}/{database}")
    query = "SELECT query FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'"
    try:
        while time.monotonic() < until:
            rows = await conn.fetch(query, database)
            samples.append(len(rows))
            waiting.update(" ".join(row["query"].split()[:4]) for row in rows)
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


async def drive(base: str, database: str, tokens: list[str], posts: list[int], clients: int, duration: float) -> dict:
    latencies: list[float] = []
    errors = 0
    start = time.monotonic()
    warm, until = start + 2, start + 2 + duration
    locks: list[int] = []
    waiting: Counter[str] = Counter()

    async def member(i: int) -> None:
        nonlocal errors
        rng = random.Random(i)
        headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
        async with httpx.AsyncClient(base_url=f"{base}/api/v3", headers=headers, timeout=60) as client:
            while (now := time.monotonic()) < until:
                body = {"post_id": rng.choice(posts), "content": f"comment by {i} at {now}"}
                response = await client.post("/comment", json=body)
                if now >= warm:
                    latencies.append(time.monotonic() - now)
                    errors += response.status_code != 200

    await asyncio.sleep(0)
    sampler = asyncio.create_task(_sample_locks(database, until, locks, waiting))
    await asyncio.gather(*(member(i) for i in range(clients)))
    await sampler
    latencies.sort()
    done = len(latencies)
    return {
        "comments_per_s": round(done / duration, 1),
        "errors": errors,
        "p50_ms": round(latencies[done // 2] * 1000, 1) if done else None,
        "p99_ms": round(latencies[int(done * 0.99)] * 1000, 1) if done else None,
        "lock_waiters_mean": round(statistics.fmean(locks), 2) if locks else None,
        "lock_waiting_share": round(sum(1 for n in locks if n) / len(locks), 2) if locks else None,
        "waiting_on": dict(waiting.most_common(3)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", action="append", required=True, help="LABEL=SRC (a checkout's src folder)")
    parser.add_argument("--workers", default="1,3")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "results" / "counters.json"))
    args = parser.parse_args()
    trees = dict(tree.split("=", 1) for tree in args.tree)
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-counters-"))
    prepared: dict[str, tuple[list[str], list[int]]] = {}
    for label, src in trees.items():
        database = f"agora_bench_counters_{label}"
        asyncio.run(fresh_database(database))
        served = Served(src, database_url(database), 1, workdir)
        try:
            prepared[label] = set_up(served)
        finally:
            served.stop()
    runs: dict[str, dict[int, list[dict]]] = {label: {} for label in trees}
    for workers in (int(w) for w in args.workers.split(",")):
        for round_ in range(args.rounds):
            order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
            for label in order:
                database = f"agora_bench_counters_{label}"
                served = Served(trees[label], database_url(database), workers, workdir)
                try:
                    tokens, posts = prepared[label]
                    run = asyncio.run(drive(served.base, database, tokens, posts, args.clients, args.duration))
                finally:
                    served.stop()
                runs[label].setdefault(workers, []).append(run)
                print(f"{label:>12} workers={workers} round={round_ + 1}: {json.dumps(run)}", flush=True)
    print(f"\n{'tree':>12} {'workers':>7} {'comments/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'lock waiters':>12}")
    summary = []
    for label, by_workers in runs.items():
        for workers, rounds in by_workers.items():
            row = {
                "tree": label,
                "workers": workers,
                "comments_per_s": statistics.median(r["comments_per_s"] for r in rounds),
                "p50_ms": statistics.median(r["p50_ms"] or 0 for r in rounds),
                "p99_ms": statistics.median(r["p99_ms"] or 0 for r in rounds),
                "lock_waiters_mean": statistics.median(r["lock_waiters_mean"] or 0 for r in rounds),
                "errors": sum(r["errors"] for r in rounds),
            }
            summary.append(row)
            print(
                f"{label:>12} {workers:>7} {row['comments_per_s']:>10} {row['p50_ms']:>7} {row['p99_ms']:>7}"
                f" {row['lock_waiters_mean']:>12}"
            )
    settings = {"clients": args.clients, "duration": args.duration, "rounds": args.rounds, "members": MEMBERS}
    Path(args.out).write_text(json.dumps({"settings": settings, "summary": summary, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
