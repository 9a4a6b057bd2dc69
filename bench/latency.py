"""Latency percentiles of GET requests from a client whose figures add up: a cross-check of wrk's.

On this machine wrk's latency figures do not always add up: with 8 connections for 3 s, its mean latency times
its request count has come to 28.8 s (a cached 0.2-ms answer) and 37.7 s (a member's front page), more than the
24 s of connection time there was; in such runs it reported p99s of 60-300 ms for pages that, measured here
minutes apart on the same server, had p99s of 7-8 ms. This client keeps `concurrency` keep-alive connections
busy, each sending its next request when the answer is complete (as wrk does), times every request on the
monotonic clock, and prints the sum of the latencies beside the connection time so a reading can be checked:

    python bench/latency.py 8536 "/api/v3/post/list?type_=All&sort=Hot&limit=20" [--header "Authorization: Bearer …"]
        [--duration 3] [--rounds 3] [--concurrency 8]

It is plain asyncio and costs the machine more CPU than wrk, so bench/run.py keeps wrk for throughput and CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import time


def encode(port: int, method: str, path: str, headers: list[str], body: bytes = b"") -> bytes:
    """One HTTP/1.1 request to 127.0.0.1:`port` (`headers` as "Name: value"), ready to write."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _connection(port: int, requests: list[bytes], until: float, latencies: list[float], seed: int) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random(seed)
    errors = 0
    try:
        while time.perf_counter() < until:
            request = requests[0] if len(requests) == 1 else rng.choice(requests)
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)  # the API answers with a length, never chunked
            latencies.append(time.perf_counter() - started)
            errors += status >= 400
    finally:
        writer.close()
    return errors


async def spread(connections: list[tuple[int, list[bytes]]], duration: float) -> dict:
    """One keep-alive connection per (port, requests) for `duration` seconds, each sending one of its requests (at
    random) when its last answer is complete: req/s, p50/p99/max, errors, and the latencies' sum beside the
    connection time."""
    latencies: list[float] = []
    started = time.perf_counter()
    until = started + duration
    errors = await asyncio.gather(
        *(_connection(port, requests, until, latencies, i) for i, (port, requests) in enumerate(connections))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [math.nan]
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": ordered[len(ordered) // 2] * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99)] * 1000,
        "max_ms": ordered[-1] * 1000,
        "latency_s": sum(latencies),
        "connection_s": len(connections) * elapsed,
        "errors": sum(errors),
    }


async def measure(port: int, path: str, headers: list[str], duration: float, concurrency: int) -> dict:
    return await spread([(port, [encode(port, "GET", path, headers)])] * concurrency, duration)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("port", type=int)
    parser.add_argument("path", nargs="+", help="request paths (with their query)")
    parser.add_argument("--header", action="append", default=[], help='"Name: value", sent with every request')
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before the first round")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    failed = False
    for path in args.path:
        if args.warmup > 0:
            asyncio.run(measure(args.port, path, args.header, args.warmup, args.concurrency))
        runs = [
            asyncio.run(measure(args.port, path, args.header, args.duration, args.concurrency))
            for _ in range(args.rounds)
        ]
        p99 = [r["p99_ms"] for r in runs]
        print(
            f"{path}\n  req/s {statistics.median(r['rps'] for r in runs):.0f}"
            f"  p50 {statistics.median(r['p50_ms'] for r in runs):.1f} ms"
            f"  p99 {statistics.median(p99):.1f} ms (rounds: {', '.join(f'{v:.1f}' for v in p99)})"
            f"  max {max(r['max_ms'] for r in runs):.1f} ms"
            f"  latency summed {sum(r['latency_s'] for r in runs):.1f} s"
            f" of {sum(r['connection_s'] for r in runs):.1f} s"
            + (f"  {sum(r['errors'] for r in runs)} errors" if any(r["errors"] for r in runs) else ""),
            flush=True,
        )
        failed = failed or any(r["errors"] for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
