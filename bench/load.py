"""Load through wrk, and where the CPU went while it ran.

wrk (C, one thread) drives `concurrency` keep-alive connections for a fixed time after an unmeasured warm-up and
reports latency percentiles from its own histogram. A test's requests are generated in Python and handed to wrk
as a Lua table it picks from at random, so writes can vary their post, user or score (or in order, for requests
that must each go once).

CPU is read from /proc before and after each run: the server's processes (`agora serve` and its workers), the
database backends that serve them (PostgreSQL sessions named `agora`), the load generator, and the machine as a
whole. CPU milliseconds per request do not depend on how busy the machine is the way latencies do, which makes
them the figure to compare between runs on a shared machine; `other_cpu` says how much of the machine something
else used meanwhile.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
CHUNK = 4000  # requests per Lua function (see _lua)

DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "status_errors": %d, '
    .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass(slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None


@dataclass(slots=True)
class Run:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    server_cpu_s: float
    db_cpu_s: float
    client_cpu_s: float
    other_cpu_s: float
    # wrk's latencies summed over the connection time there was: above 1, its latency figures cannot all be
    # true (each connection waits for one answer at a time), as seen on this machine (bench/latency.py)
    latency_overcount: float = 1.0


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench/run.py needs wrk: apt-get install wrk (scripts/test.sh installs it)")
    return found


def _lua(requests: list[Request], sequential: bool = False) -> str:
    def quote(text: str) -> str:
        return json.dumps(text)  # a JSON string is a valid Lua string literal for this text

    rows = []
    for r in requests:
        headers = ", ".join(f"[{quote(k)}] = {quote(v)}" for k, v in r.headers.items())
        body = quote(r.body) if r.body is not None else "nil"
        rows.append(f"  {{{quote(r.method)}, {quote(r.path)}, {{{headers}}}, {body}}},")
    # LuaJIT allows 65,536 constants in one function: signed activities have several unique strings each, so the
    # table is built by one function per few thousand requests.
    chunks = []
    for start in range(0, len(rows), CHUNK):
        chunks.append("(function() return {\n" + "\n".join(rows[start : start + CHUNK]) + "\n} end)()")
    return (
        "local reqs = {}\n"
        + "".join(f"for _, r in ipairs({chunk}) do reqs[#reqs + 1] = r end\n" for chunk in chunks)
        + "local next_index = 0\n"
        "request = function()\n"
        + (
            "  next_index = next_index % #reqs + 1\n  local r = reqs[next_index]\n"
            if sequential
            else "  local r = reqs[math.random(#reqs)]\n"
        )
        + "  return wrk.format(r[1], r[2], r[3], r[4])\n"
        "end\n" + DONE
    )


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def machine_busy_seconds() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK


def children(pid: int) -> list[int]:
    out = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                out += children(int(child))
    except OSError:
        pass
    return out


def run(
    base_url: str,
    requests: list[Request],
    *,
    duration: float,
    warmup: float,
    concurrency: int,
    server_pids,
    db_pids,
    sequential: bool = False,
) -> Run:
    """Warm up, then measure `duration` seconds; `server_pids()`/`db_pids()` list the processes to account.
    `sequential` sends the requests in order, each once while they last (with one wrk thread), instead of at
    random: for requests that must not repeat, such as activities with ids of their own."""
    wrk = require_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(requests, sequential))
    try:
        command = [wrk, "-t1", f"-c{concurrency}", "--timeout", "30s", "-s", script.name, base_url]
        if warmup > 0:
            subprocess.run([*command[:1], f"-d{warmup}s", *command[1:]], capture_output=True, check=True)
        servers, databases = server_pids(), db_pids()
        before = (cpu_seconds(servers), cpu_seconds(databases), machine_busy_seconds())
        client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [*command[:1], f"-d{duration}s", *command[1:]], capture_output=True, text=True, check=True
        )
        client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        databases = sorted(set(databases) | set(db_pids()))
        server_cpu = cpu_seconds(server_pids()) - before[0]
        db_cpu = cpu_seconds(databases) - before[1]
        busy = machine_busy_seconds() - before[2]
    finally:
        os.unlink(script.name)
    try:
        stats = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise RuntimeError(f"wrk gave no summary:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}") from None
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    return Run(
        requests=stats["requests"],
        errors=stats["socket_errors"] + stats["status_errors"],
        seconds=stats["duration_us"] / 1e6,
        p50_ms=stats["p50_us"] / 1000,
        p90_ms=stats["p90_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        server_cpu_s=server_cpu,
        db_cpu_s=db_cpu,
        client_cpu_s=client_cpu,
        other_cpu_s=max(0.0, busy - server_cpu - db_cpu - client_cpu),
        latency_overcount=stats["mean_us"] * stats["requests"] / (concurrency * stats["duration_us"] or 1),
    )
