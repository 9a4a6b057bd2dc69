"""Two running servers on the same requests, in alternating bursts: the A/B comparison this machine allows.

This machine's speed drifts by up to 1.8x within an hour, so two runs of bench/run.py made minutes apart cannot
tell a 20 % change from the drift. Here each round measures A, then B, then the next round B first, so drift falls
on both alike; the median of the rounds is reported, per request: the server's CPU (its listening process and its
workers), PostgreSQL's CPU (every postgres process; only the server under load is using it) and wrk's req/s; then
each round's B over the same round's A, whose median is the least drift-prone figure of the lot.

    python bench/pair.py 8601 8602 /api/v3/post/list?type_=All&sort=Hot&limit=20 [--header "Authorization: Bearer …"]

Start the two servers yourself (for the old code, a `git worktree` of it run with PYTHONPATH=<worktree>/src),
with the same settings: the caches you are not measuring turned off.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import load  # bench/load.py: the script's own directory is on sys.path


def listening_pids(port: int) -> list[int]:
    """The process listening on `port` (found by its socket's inode) and its children."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(str(fd.readlink()) in inodes for fd in (proc / "fd").iterdir()):
                return load.children(int(proc.name))
        except OSError:
            continue
    raise SystemExit(f"nothing listens on port {port}")


def postgres_pids() -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "comm").read_text().strip() == "postgres":
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def alternate(
    urls: dict[str, str],
    requests: list[load.Request],
    *,
    rounds: int,
    duration: float,
    concurrency: int,
    pause: float = 0.0,
) -> dict[str, list[load.Run]]:
    """`rounds` bursts of `requests` at each of the two servers in `urls` (name → base URL on 127.0.0.1), in the
    order A, B, then B, A, so the machine's drift falls on both; each server's CPU is its listening process and its
    children's, the database's every postgres process's. `pause`: seconds after each burst, for what it left in
    flight to end before the other server's burst."""
    first, second = urls
    pids = {name: listening_pids(int(url.rsplit(":", 1)[1])) for name, url in urls.items()}
    runs: dict[str, list[load.Run]] = {name: [] for name in urls}
    for round_ in range(rounds):
        for name in (first, second) if round_ % 2 == 0 else (second, first):
            runs[name].append(
                load.run(
                    urls[name],
                    requests,
                    duration=duration,
                    warmup=1 if round_ == 0 else 0,
                    concurrency=concurrency,
                    server_pids=lambda name=name: pids[name],
                    db_pids=postgres_pids,
                )
            )
            time.sleep(pause)
    return runs


def compare(runs: dict[str, list[load.Run]]) -> dict[str, Any]:
    """Each server's medians over the rounds of `alternate` (req/s, server and database CPU ms a request, p50, p99,
    errors summed), and the first server's req/s over the second's in each round: median, min, max."""
    figures: dict[str, Any] = {}
    for name, measured in runs.items():
        figures[name] = {
            "req_s": statistics.median(r.requests / r.seconds for r in measured),
            "server_ms": statistics.median(1000 * r.server_cpu_s / max(r.requests, 1) for r in measured),
            "db_ms": statistics.median(1000 * r.db_cpu_s / max(r.requests, 1) for r in measured),
            "p50_ms": statistics.median(r.p50_ms for r in measured),
            "p99_ms": statistics.median(r.p99_ms for r in measured),
            "errors": sum(r.errors for r in measured),
        }
    first, second = runs.values()
    ratios = sorted((a.requests / a.seconds) / (b.requests / b.seconds) for a, b in zip(first, second, strict=True))
    figures["ratio"] = {"median": statistics.median(ratios), "min": ratios[0], "max": ratios[-1]}
    return figures


def describe(test: str, figures: dict[str, Any], width: int = 40) -> str:
    """One line of `compare`'s figures."""
    (a_name, a), (b_name, b) = [(name, f) for name, f in figures.items() if name != "ratio"]
    r = figures["ratio"]
    errors = f"  errors {a['errors']}/{b['errors']}" if a["errors"] or b["errors"] else ""
    return (
        f"{test:<{width}} {a_name} {a['req_s']:6.0f} req/s ({a['server_ms']:.2f} + {a['db_ms']:.2f} ms)"
        f"  {b_name} {b['req_s']:6.0f} req/s ({b['server_ms']:.2f} + {b['db_ms']:.2f} ms)"
        f"  ratio {r['median']:.2f} ({r['min']:.2f}–{r['max']:.2f}){errors}"
    )


def _cpu_ms(run: load.Run) -> float:
    return 1000 * run.server_cpu_s / max(run.requests, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=int, help="port of server A")
    parser.add_argument("b", type=int, help="port of server B")
    parser.add_argument("path", nargs="+", help="request paths (with their query), each compared in turn")
    parser.add_argument("--header", action="append", default=[], help='"Name: value", sent with every request')
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=int, default=3, help="seconds of each burst")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    ports = {"A": args.a, "B": args.b}
    print(f"{'path':<60} {'':1} {'server ms':>9} {'db ms':>7} {'req/s':>7}")
    for path in args.path:
        requests = [load.Request("GET", path, headers)]
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        runs = alternate(urls, requests, rounds=args.rounds, duration=args.duration, concurrency=args.concurrency)
        for name in ("A", "B"):
            server = statistics.median(_cpu_ms(r) for r in runs[name])
            db = statistics.median(1000 * r.db_cpu_s / max(r.requests, 1) for r in runs[name])
            rate = statistics.median(r.requests / r.seconds for r in runs[name])
            errors = sum(r.errors for r in runs[name])
            note = f"  {errors} errors" if errors else ""
            print(f"{path[:60]:<60} {name} {server:9.3f} {db:7.3f} {rate:7.0f}{note}")
        # each round's B against the same round's A: drift between rounds cancels out
        ratios = sorted(_cpu_ms(b) / _cpu_ms(a) for a, b in zip(runs["A"], runs["B"], strict=True))
        fewer = sum(ratio < 1 for ratio in ratios)
        print(
            f"{'':<60} B/A server CPU, per round: median {statistics.median(ratios):.3f}"
            f" (from {ratios[0]:.2f} to {ratios[-1]:.2f}; B used less in {fewer} of {len(ratios)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
