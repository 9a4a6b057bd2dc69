"""Agora's uncached reads against the hand-written baseline (bench/baseline_reads.py), on one seeded PostgreSQL
database.

It starts both servers on the database (2 workers each; Agora with its anonymous read cache off), logs in as
`bench0`, checks that each server's answer to each request is the same bytes (printing the first difference and
refusing to measure if not), then measures each read in alternating bursts (A then B, the next round B then A, so
the machine's drift falls on both) and prints, per read, the median req/s, server and database CPU per request,
and each round's Agora/baseline ratio of req/s (median and range), with the load average before and after.

    .venv/bin/python bench/reads.py --database agora_bench_large --output bench/results/reads-large.json

Its only write is bench0's login token, removed again by logging out at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx
import run as agora_run  # bench/run.py
from pair import alternate, compare, describe
from writes import PASSWORD, start_baseline

import load


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return (
        f"lengths {len(a)} and {len(b)}, first difference at byte {at}:\n"
        f" agora    …{a[max(0, at - 120) : at + 120]!r}\n baseline …{b[max(0, at - 120) : at + 120]!r}"
    )


def same_answers(servers: dict[str, str], reads: dict[str, load.Request]) -> bool:
    """Each read asked of both servers: the same status and the same bytes, or a difference printed."""
    same = True
    for name, request in reads.items():
        bodies = []
        for base in servers.values():
            answer = httpx.get(base + request.path, headers=request.headers, timeout=60)
            bodies.append((answer.status_code, answer.content))
        (status_a, a), (status_b, b) = bodies
        if status_a != 200 or (status_a, a) != (status_b, b):
            print(f"{name}: agora {status_a}, baseline {status_b}; {first_difference(a, b)}")
            same = False
        else:
            print(f"{name}: the same {len(a):,} bytes")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="agora_bench_small", help="a database seeded by `agora bench seed`")
    parser.add_argument("--server", default=os.environ.get("AGORA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=4, help="seconds of each burst")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--limit", type=int, default=20, help="posts a page (Lemmy's apps ask for 20)")
    parser.add_argument("--comments", type=int, default=5_000, help="the tree of the post with nearest this many")
    parser.add_argument("--output", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    dsn = f"{args.server}/{args.database}"
    agora, agora_base = agora_run.start_server(
        dsn.replace("postgresql://", "postgresql+asyncpg://"), workers=2, anonymous_cache=0
    )
    token, baseline = None, None
    try:
        baseline, baseline_base = start_baseline(dsn, "baseline_reads.py")
        login = {"username_or_email": "bench0", "password": PASSWORD}
        token = httpx.post(f"{agora_base}/api/v3/user/login", json=login, timeout=60).json()["jwt"]
        auth = {"Authorization": f"Bearer {token}"}
        busiest = httpx.get(
            f"{agora_base}/api/v3/post/list", params={"sort": "MostComments", "limit": 50}, timeout=60
        ).json()["posts"]
        thread = min(busiest, key=lambda p: abs(p["counts"]["comments"] - args.comments))
        post_id, comments = thread["post"]["id"], thread["counts"]["comments"]
        reads = {
            "front page All Hot, anonymous": agora_run.get("/post/list", type_="All", sort="Hot", limit=args.limit),
            f"comment tree (300 of {comments:,}), anonymous": agora_run.get(
                "/comment/list", post_id=post_id, max_depth=8, sort="Hot", type_="All"
            ),
            "Subscribed Hot, member": agora_run.get(
                "/post/list", auth, type_="Subscribed", sort="Hot", limit=args.limit
            ),
        }
        servers = {"agora": agora_base, "baseline": baseline_base}
        if not same_answers(servers, reads):
            print("the answers differ: not measured")
            return 1
        load_avg_before = os.getloadavg()
        report: dict[str, Any] = {"database": args.database, "rounds": args.rounds, "duration": args.duration}
        report["reads"] = {}
        for name, request in reads.items():
            runs = alternate(
                servers, [request], rounds=args.rounds, duration=args.duration, concurrency=args.concurrency
            )
            figures = compare(runs)
            report["reads"][name] = figures
            print(describe(name, figures, 40))
        load_avg_after = os.getloadavg()
        report["load_average"] = {"before": load_avg_before, "after": load_avg_after}
        print(f"load average (1, 5, 15 min): {load_avg_before} before, {load_avg_after} after")
        if args.output:
            args.output.write_text(json.dumps(report, indent=2) + "\n")
    finally:
        if token is not None:  # the login token is the run's only write: removed again
            httpx.post(f"{agora_base}/api/v3/user/logout", headers={"Authorization": f"Bearer {token}"}, timeout=60)
        for process in (agora, baseline):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
