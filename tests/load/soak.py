"""Soak: hundreds of simulated members reading and writing on loopback for a while; memory must stay flat and no
request may fail.

    python -m tests.load.soak --duration 300 --members 300            (the documented long run, on SQLite)
    AGORA_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1/soak python -m tests.load.soak ...

It starts `agora serve` itself (the way an admin runs it), drives it with an async httpx client, samples the
server's resident memory every second and prints a summary; exit code 1 when a promise is broken.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.process import ServedInstance

PASSWORD = "soak test password"


@dataclass
class Tally:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (uvicorn workers), in KiB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


async def member_loop(client: httpx.AsyncClient, token: str, shared: dict, tally: Tally, deadline: float, rng):
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        action = rng.random()
        try:
            if action < 0.45:
                sort = rng.choice(["Hot", "Active", "New", "TopDay", "Scaled"])
                response = await client.get("/post/list", params={"type_": "All", "sort": sort}, headers=headers)
            elif action < 0.65 and shared["posts"]:
                post_id = rng.choice(shared["posts"])
                response = await client.get(
                    "/comment/list", params={"post_id": post_id, "max_depth": 8, "sort": "Hot"}, headers=headers
                )
            elif action < 0.75:
                body = {"name": f"soak post {rng.random():.8f}", "community_id": rng.choice(shared["communities"])}
                response = await client.post("/post", json=body, headers=headers)
                if response.status_code == 200:
                    shared["posts"].append(response.json()["post_view"]["post"]["id"])
            elif action < 0.87 and shared["posts"]:
                body = {"post_id": rng.choice(shared["posts"]), "content": f"soak comment {rng.random():.6f}"}
                response = await client.post("/comment", json=body, headers=headers)
            elif shared["posts"]:
                body = {"post_id": rng.choice(shared["posts"]), "score": rng.choice([1, 1, 1, -1, 0])}
                response = await client.post("/post/like", json=body, headers=headers)
            else:
                response = await client.get("/site", headers=headers)
            tally.requests += 1
            if response.status_code != 200:
                tally.errors.append(f"{response.request.method} {response.request.url.path} {response.status_code}")
        except httpx.HTTPError as exc:
            tally.requests += 1
            tally.errors.append(f"{type(exc).__name__}: {exc}")
        await asyncio.sleep(rng.uniform(0.05, 0.4))


async def soak(base_url: str, pid: int, *, members: int, duration: float, seed: int) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=f"{base_url}/api/v3", timeout=30, limits=limits) as client:
        tokens = []
        for i in range(members):
            name = f"soak{seed}_{i}"
            body = {"username": name, "password": PASSWORD, "password_verify": PASSWORD}
            response = await client.post("/user/register", json=body)
            response.raise_for_status()
            tokens.append(response.json()["jwt"])
        communities = []
        for i in range(5):
            body = {"name": f"soak{seed}c{i}", "title": f"Soak {i}"}
            response = await client.post("/community", json=body, headers={"Authorization": f"Bearer {tokens[i]}"})
            response.raise_for_status()
            communities.append(response.json()["community_view"]["community"]["id"])
        shared = {"communities": communities, "posts": []}

        async def sample():
            while True:
                tally.rss_kib.append(rss_kib(pid))
                await asyncio.sleep(1)

        sampler = asyncio.create_task(sample())
        deadline = time.monotonic() + duration
        await asyncio.gather(
            *(member_loop(client, t, shared, tally, deadline, random.Random(rng.random())) for t in tokens)
        )
        sampler.cancel()
    return tally


def memory_growth(samples: list[int]) -> float:
    """Relative growth of the last third's median over the middle third's (the first third is warm-up)."""
    if len(samples) < 6:
        return 0.0
    third = len(samples) // 3
    middle = statistics.median(samples[third : 2 * third])
    last = statistics.median(samples[2 * third :])
    return (last - middle) / middle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--duration", type=float, default=300, help="seconds of load after set-up")
    parser.add_argument("--port", type=int, default=8590)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-growth", type=float, default=0.15, help="allowed memory growth (fraction)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="agora-soak-"))
    url = os.environ.get("AGORA_DATABASE_URL", f"sqlite+aiosqlite:///{workdir}/soak.db")
    server = ServedInstance(url, args.port, workdir).start()
    try:
        tally = asyncio.run(
            soak(server.base_url, server.proc.pid, members=args.members, duration=args.duration, seed=args.seed)
        )
    finally:
        server.stop()
    growth = memory_growth(tally.rss_kib)
    summary = {
        "members": args.members,
        "duration_s": args.duration,
        "requests": tally.requests,
        "errors": len(tally.errors),
        "rss_start_mib": round(tally.rss_kib[0] / 1024, 1) if tally.rss_kib else None,
        "rss_peak_mib": round(max(tally.rss_kib) / 1024, 1) if tally.rss_kib else None,
        "rss_growth_late_vs_mid": round(growth, 3),
        "first_errors": tally.errors[:5],
    }
    print(json.dumps(summary, indent=2))
    return 0 if not tally.errors and growth <= args.max_growth else 1


if __name__ == "__main__":
    sys.exit(main())
