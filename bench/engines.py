"""The SQLite default next to PostgreSQL, both served at once and measured in alternating bursts.

Issue 7 asks for SQLite at the medium size within 2x of PostgreSQL. Two runs of bench/suite.py made minutes apart
cannot say that on this machine (its speed drifts by up to 1.8x within an hour), so this starts both servers the
way README.md runs them (PostgreSQL with 2 workers, SQLite with 1) on the same seeded data and, for each test of
bench/run.py, measures them in turns: PostgreSQL then SQLite, then SQLite first in the next round. Each round's
PostgreSQL req/s over SQLite's is reported as its median over the rounds (with its range), beside each engine's
median req/s, p50 and p99.

    python bench/engines.py --size medium [--rounds 4] [--duration 3] [--only "front All,login"] [--label NAME]

Both databases must be seeded (bench/suite.py medium-pg and medium-sqlite do it). Nothing here measures the raw
query; bench/run.py does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import time
from pathlib import Path
from types import SimpleNamespace

import run as suite  # bench/run.py: the script's own directory is on sys.path

import load

ROOT = Path(__file__).resolve().parent


class _Recorder:
    """Stands in for run.Bench: keeps each test's requests instead of running them, so both servers get the
    tests bench/run.py defines, each with its own login."""

    def __init__(self, base: str) -> None:
        self.base, self.pool = base, None
        self.tests: dict[str, list[load.Request]] = {}

    async def run(self, name, requests, raw_query=None, quiet=False, warmup=None):
        self.tests[name] = requests


def _measure(base: str, process, requests: list[load.Request], args, warmup: float) -> load.Run:
    return load.run(
        base,
        requests,
        duration=args.duration,
        warmup=warmup,
        concurrency=args.concurrency,
        server_pids=lambda: load.children(process.pid),
        db_pids=lambda: [],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="medium", help="the seeded set: agora_bench_SIZE and bench/data/SIZE.db")
    parser.add_argument("--postgres", default=os.environ.get("AGORA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=int, default=3, help="seconds of each burst")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--only", help="comma-separated name prefixes of bench/run.py's tests")
    parser.add_argument("--label", help="also save the figures as bench/results/LABEL.json")
    args = parser.parse_args()
    load.require_wrk()
    sqlite_file = ROOT / "data" / f"{args.size}.db"
    if not sqlite_file.exists():
        raise SystemExit(f"{sqlite_file} is missing: run bench/suite.py {args.size}-sqlite first")
    urls = {
        "postgresql": f"{args.postgres.replace('postgresql://', 'postgresql+asyncpg://')}/agora_bench_{args.size}",
        "sqlite": f"sqlite+aiosqlite:///{sqlite_file}",
    }
    servers = {}
    try:
        for engine, url in urls.items():
            servers[engine] = suite.start_server(url, 2 if engine == "postgresql" else 1)
        tests = {}
        options = SimpleNamespace(only=args.only, no_rank_refresh=True)
        for engine, (_process, base) in servers.items():
            recorder = _Recorder(base)
            asyncio.run(suite.run_tests(recorder, options))
            tests[engine] = recorder.tests
        rows = []
        print(
            f"{'test':<36} {'PG req/s':>9} {'SQLite':>8} {'PG/SQLite':>10} {'p50 PG':>7} {'SQLite':>7}"
            f" {'p99 PG':>7} {'SQLite':>7}",
            flush=True,
        )
        for name in tests["postgresql"]:
            if name not in tests["sqlite"]:
                continue
            runs: dict[str, list[load.Run]] = {"postgresql": [], "sqlite": []}
            for round_ in range(args.rounds):
                order = ("postgresql", "sqlite") if round_ % 2 == 0 else ("sqlite", "postgresql")
                for engine in order:
                    process, base = servers[engine]
                    runs[engine].append(_measure(base, process, tests[engine][name], args, 1 if round_ == 0 else 0))
            pg, lite = runs["postgresql"], runs["sqlite"]
            rate = [r.requests / r.seconds for r in pg], [r.requests / r.seconds for r in lite]
            ratios = [a / b for a, b in zip(*rate, strict=True)]  # each round's PostgreSQL over its SQLite
            row = {
                "name": name,
                "postgresql_rps": statistics.median(rate[0]),
                "sqlite_rps": statistics.median(rate[1]),
                "rps_ratio": statistics.median(ratios),
                "rps_ratio_range": [min(ratios), max(ratios)],
                "postgresql_p50_ms": statistics.median(r.p50_ms for r in pg),
                "sqlite_p50_ms": statistics.median(r.p50_ms for r in lite),
                "postgresql_p99_ms": statistics.median(r.p99_ms for r in pg),
                "sqlite_p99_ms": statistics.median(r.p99_ms for r in lite),
                "errors": sum(r.errors for r in pg + lite),
            }
            rows.append(row)
            print(
                f"{name:<36} {row['postgresql_rps']:9.0f} {row['sqlite_rps']:8.0f} {row['rps_ratio']:9.2f}x"
                f" {row['postgresql_p50_ms']:7.1f} {row['sqlite_p50_ms']:7.1f}"
                f" {row['postgresql_p99_ms']:7.1f} {row['sqlite_p99_ms']:7.1f}"
                + (f"  {row['errors']} errors" if row["errors"] else ""),
                flush=True,
            )
    finally:
        for process, _base in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    if args.label:
        out = ROOT / "results" / f"{args.label}.json"
        meta = {
            "size": args.size,
            "rounds": args.rounds,
            "duration_s": args.duration,
            "concurrency": args.concurrency,
            "workers": {"postgresql": 2, "sqlite": 1},
            "load_generator": "wrk -t1",
            "cpus": os.cpu_count(),
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "figures": "medians over rounds; rps_ratio is the median of each round's PostgreSQL/SQLite req/s",
        }
        out.write_text(json.dumps({"meta": meta, "results": rows}, indent=1))
        print(f"wrote {out}")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
