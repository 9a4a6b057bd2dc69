"""What each process of a running `agora serve` costs in memory, at idle and after a read load.

For the process listening on the port and each of its children it reads /proc/PID/smaps_rollup: RSS (every page
mapped in, shared or not), PSS (each page divided by the number of processes that map it: what the process really
costs, so the PSS of all processes adds up to the memory they use together) and USS (Private_Clean +
Private_Dirty: what its exit would free). Then it sends `--duration` seconds of reads with wrk over the given
paths (default: a few listings) and reads them again.

    python bench/memory.py 8536 [--duration 20] [PATH ...]

"Per worker" in docs/performance.md is the sum of every process's PSS divided by the number of workers: the
supervisor's share is charged to the workers it serves.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pair import listening_pids

import load  # bench/load.py: the script's own directory is on sys.path

LISTINGS = [
    "/api/v3/post/list?type_=All&sort=Hot&limit=20",
    "/api/v3/post/list?type_=All&sort=New&limit=20",
    "/api/v3/community/list?type_=All&sort=TopAll&limit=20",
    "/api/v3/comment/list?type_=All&sort=New&limit=20",
    "/api/v3/post?id=5",
]


def rollup(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of one process in MiB."""
    kib: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        kib[name] = int(value.split()[0])
    return {
        "rss": kib["Rss"] / 1024,
        "pss": kib["Pss"] / 1024,
        "uss": (kib["Private_Clean"] + kib["Private_Dirty"]) / 1024,
    }


def snapshot(port: int) -> list[tuple[int, str, dict[str, float]]]:
    rows = []
    for pid in listening_pids(port):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:60]
            rows.append((pid, command, rollup(pid)))
        except OSError:
            continue
    return rows


def report(title: str, rows: list[tuple[int, str, dict[str, float]]], workers: int) -> None:
    print(f"\n{title}")
    print(f"{'pid':>8} {'RSS':>7} {'PSS':>7} {'USS':>7}  command")
    for pid, command, m in rows:
        print(f"{pid:>8} {m['rss']:7.1f} {m['pss']:7.1f} {m['uss']:7.1f}  {command}")
    total = {k: sum(m[k] for _, _, m in rows) for k in ("rss", "pss", "uss")}
    print(f"{'total':>8} {total['rss']:7.1f} {total['pss']:7.1f} {total['uss']:7.1f}")
    print(f"per worker ({workers}): PSS {total['pss'] / workers:.1f} MiB (all processes' PSS / workers)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("paths", nargs="*", default=LISTINGS)
    parser.add_argument("--workers", type=int, default=0, help="worker count (default: children of the server)")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--header", action="append", default=[], help='"Name: value", sent with every request')
    args = parser.parse_args()
    rows = snapshot(args.port)
    workers = args.workers or max(1, len(rows) - 1)
    print(f"load average {os.getloadavg()[0]:.2f}")
    report("idle", rows, workers)
    headers = dict(h.split(": ", 1) for h in args.header)
    run = load.run(
        f"http://127.0.0.1:{args.port}",
        [load.Request("GET", path, headers) for path in args.paths],
        duration=args.duration,
        warmup=1,
        concurrency=args.concurrency,
        server_pids=lambda: listening_pids(args.port),
        db_pids=lambda: [],
    )
    print(f"\nload: {run.requests} requests ({run.errors} errors) in {run.seconds:.0f} s, p50 {run.p50_ms:.1f} ms")
    report("after load", snapshot(args.port), workers)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0 if run.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
