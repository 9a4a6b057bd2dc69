"""Federation throughput on loopback: signed activities received and applied per second, and one post's fan-out to
many follower instances, some of them dead or slow.

    python bench/federation.py                       # a throw-away SQLite instance
    python bench/federation.py --database-url postgresql+asyncpg://postgres@127.0.0.1/agora_fed_bench
    python bench/federation.py --activities 2000 --instances 200 --dead 0.1 --slow 0 --delay 10

It starts `agora serve` (AGORA_FEDERATION_DEBUG=1, so loopback peers are reachable) and fake peer instances in this
process (Starlette on uvicorn), and prints one JSON line of results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import load  # bench/load.py (wrk and CPU accounting): the script's own directory is on sys.path
from agora.federation import signatures

AGORA = str(Path(sys.executable).with_name("agora"))
AP = "application/activity+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PeerFarm:
    """Many fake instances in one uvicorn server: one listening socket (so one host:port, one instance to Agora)
    each, an actor with a key on every one, and a record of when each inbox was first reached. `slow` ports answer
    POSTs after `delay` seconds; `kill` takes ports down (nothing listens there any more, and a request already on
    a kept-alive connection gets a 502 and the connection closed, as from a proxy whose backend is gone)."""

    def __init__(self, count: int, key: tuple[str, str], slow: set[int] = frozenset(), delay: float = 0.0) -> None:
        self.private, self.public = key
        self.sockets = []
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            self.sockets.append(sock)
        self.ports = [sock.getsockname()[1] for sock in self.sockets]
        self.slow = {self.ports[i] for i in slow}
        self.delay = delay
        self.dead: set[int] = set()
        self.received: dict[int, float] = {}
        self.counts: dict[int, int] = {}  # POSTs answered per port, and when the last one came
        self.last: dict[int, float] = {}
        app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET", "POST"])])
        config = uvicorn.Config(app, log_level="error", backlog=256, timeout_keep_alive=30)
        self.server = uvicorn.Server(config)
        self.loop: asyncio.AbstractEventLoop | None = None
        threading.Thread(target=self._run, daemon=True).start()
        while not self.server.started:
            time.sleep(0.01)

    def _run(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.server.serve(sockets=self.sockets))

    def base(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"

    def actor(self, port: int, name: str) -> str:
        return f"{self.base(port)}/u/{name}"

    def kill(self, ports: list[int]) -> None:
        self.dead.update(ports)
        doomed = [server for server in self.server.servers if server.sockets[0].getsockname()[1] in self.dead]
        for server in doomed:
            self.loop.call_soon_threadsafe(server.close)

    def reset(self) -> None:
        self.received.clear()
        self.counts.clear()
        self.last.clear()

    async def handle(self, request: Request) -> Response:
        port = request.scope["server"][1]
        path = "/" + request.path_params["path"]
        if port in self.dead:
            return Response(status_code=502, headers={"Connection": "close"})
        if request.method == "POST":
            await request.body()
            if port in self.slow:
                await asyncio.sleep(self.delay)
            self.received.setdefault(port, time.monotonic())
            self.counts[port] = self.counts.get(port, 0) + 1
            self.last[port] = time.monotonic()
            return Response(status_code=202)
        name = path.rsplit("/", 1)[-1]
        url = f"{self.base(port)}{path}"
        return JSONResponse(
            {
                "id": url,
                "type": "Person",
                "preferredUsername": name,
                "inbox": f"{url}/inbox",
                "endpoints": {"sharedInbox": f"{self.base(port)}/inbox"},
                "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": self.public},
            },
            media_type=AP,
        )

    def send(self, client: httpx.Client, inbox: str, activity: dict) -> int:
        body = json.dumps(activity).encode()
        headers = signatures.sign_headers("POST", inbox, body, f"{activity['actor']}#main-key", self.private)
        return client.post(inbox, content=body, headers={**headers, "Content-Type": AP}).status_code


def serve(database_url: str, workdir: Path, workers: int, port: int | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    env = {
        **os.environ,
        "AGORA_DATABASE_URL": database_url,
        "AGORA_HOSTNAME": f"127.0.0.1:{port}",
        "AGORA_FEDERATION_DEBUG": "1",
        "AGORA_FEDERATION_POLL_SECONDS": "0.1",
        "AGORA_FEDERATION_RETRY_MAX_SECONDS": "2",
        "AGORA_RATE_LIMITS_ENABLED": "0",
        "AGORA_LOG_LEVEL": "warning",
        "AGORA_MEDIA_DIR": str(workdir),
    }
    command = [AGORA, "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, cwd=workdir, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/v3/site", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("agora serve did not start")


def admin_token(base: str, database_url: str, workdir: Path) -> str:
    env = {**os.environ, "AGORA_DATABASE_URL": database_url, "AGORA_HOSTNAME": base.removeprefix("http://")}
    subprocess.run(
        [AGORA, "admin", "create", "benchadmin", "--password-stdin"],
        input=b"bench password 123\n",
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    login = {"username_or_email": "benchadmin", "password": "bench password 123"}
    return httpx.post(f"{base}/api/v3/user/login", json=login).json()["jwt"]


def settled(api: httpx.Client) -> int:
    received = api.get("/agora/federation").json()["received"]
    return sum(received.get(state, 0) for state in ("applied", "skipped", "failed"))


def wait_applied(api: httpx.Client, at_least: int, timeout: float) -> None:
    """Until `at_least` activities are settled and none is queued (wrk's last requests in flight when it stops
    reach the server without being counted)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        received = api.get("/agora/federation").json()["received"]
        done = sum(received.get(state, 0) for state in ("applied", "skipped", "failed"))
        if done >= at_least and not received.get("queued"):
            return
        time.sleep(0.1)


def inbound(api, client, farm, inbox, activities, concurrency, wait_for) -> dict:
    """Send `activities` at once over `concurrency` connections; time until all are accepted, then applied."""
    before = settled(api)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        codes = list(pool.map(lambda activity: farm.send(client, inbox, activity), activities))
    assert set(codes) == {202}, set(codes)
    accepted = time.monotonic() - started
    wait_applied(api, before + wait_for, 600)
    applied = time.monotonic() - started
    return {
        "accepted_per_second": round(len(activities) / accepted, 1),
        "applied_per_second": round(len(activities) / applied, 1),
    }


def inbound_wrk(api, farm, inbox: str, activities: list[dict], args, server_pid: int) -> dict:
    """The steady state of a busy peer: signed in advance, sent by wrk in order, each once, over
    `concurrency` connections for `duration` seconds; then the time until every accepted one is applied."""
    requests = []
    for activity in activities:
        body = json.dumps(activity)
        headers = signatures.sign_headers("POST", inbox, body.encode(), f"{activity['actor']}#main-key", farm.private)
        requests.append(load.Request("POST", "/inbox", {**headers, "Content-Type": AP}, body))
    before = settled(api)
    started = time.monotonic()
    run = load.run(
        inbox.rsplit("/", 1)[0],
        requests,
        duration=args.duration,
        warmup=0,
        concurrency=args.concurrency,
        server_pids=lambda: load.children(server_pid),
        db_pids=list,
        sequential=True,
    )
    if run.requests > len(requests):
        raise SystemExit(f"wrk sent {run.requests} requests but only {len(requests)} were made: raise --known")
    wait_applied(api, before + run.requests - run.errors, args.timeout)
    applied = time.monotonic() - started
    return {
        "sent": run.requests,
        "errors": run.errors,
        "accepted_per_second": round(run.requests / run.seconds, 1),
        "p50_ms": run.p50_ms,
        "p99_ms": run.p99_ms,
        "applied_per_second": round(run.requests / applied, 1),
        "server_cpu_ms_per_activity": round(1000 * run.server_cpu_s / max(run.requests, 1), 2),
    }


def author_post(base: str, community_id: int, n: int) -> dict:
    author = {"username": f"author{n}", "password": "bench password 123", "password_verify": "bench password 123"}
    token = httpx.post(f"{base}/api/v3/user/register", json=author).json()["jwt"]
    post = {"name": f"spread {n}", "community_id": community_id}
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.post(f"{base}/api/v3/post", json=post, headers=headers).json()["post_view"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--activities", type=int, default=500, help="people who each send a first Like")
    parser.add_argument("--known", type=int, default=12000, help="Likes made for the known-actor test (wrk)")
    parser.add_argument("--duration", type=int, default=8, help="seconds wrk sends known actors' Likes")
    parser.add_argument("--workers", type=int, help="server processes (default: 2 on PostgreSQL, 1 on SQLite)")
    parser.add_argument("--instances", type=int, default=1000, help="follower instances of the fan-out test")
    parser.add_argument("--dead", type=float, default=0.05, help="share of them that are down")
    parser.add_argument("--slow", type=float, default=0.05, help="share of them that answer after --delay")
    parser.add_argument("--delay", type=float, default=5.0, help="seconds a slow instance takes to answer")
    parser.add_argument("--concurrency", type=int, default=16, help="connections sending to the inbox at once")
    parser.add_argument("--timeout", type=float, default=600, help="give up waiting for deliveries after this")
    parser.add_argument("--posts", type=int, default=20, help="posts of the fan-out throughput burst (0: none)")
    parser.add_argument("--fanout-only", action="store_true", help="skip the inbound tests, measure the fan-out")
    parser.add_argument("--notes", type=int, default=0, help="new comments (Create Note) sent by wrk after the Likes")
    parser.add_argument("--inbound-only", action="store_true", help="skip the fan-out test")
    args = parser.parse_args()
    with contextlib.suppress(ValueError, OSError):  # a listening socket per fake instance
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.instances * 4 + 1024)), hard))
    workdir = Path(tempfile.mkdtemp(prefix="agora-fed-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    workers = args.workers or (1 if database_url.startswith("sqlite") else 2)
    process, base = serve(database_url, workdir, workers)
    inbox = f"{base}/inbox"
    results: dict = {"database": database_url.split(":", 1)[0], "workers": workers, "concurrency": args.concurrency}
    try:
        token = admin_token(base, database_url, workdir)
        api = httpx.Client(base_url=f"{base}/api/v3", headers={"Authorization": f"Bearer {token}"}, timeout=120)
        community = api.post("/community", json={"name": "bench", "title": "Bench"}).json()["community_view"]
        community_id, community_url = community["community"]["id"], community["community"]["actor_id"]
        rounds = -(-args.known // args.activities)  # each known person likes this many more posts
        hot = api.post("/post", json={"name": "hot", "community_id": community_id}).json()["post_view"]
        hot_again = api.post("/post", json={"name": "hot again", "community_id": community_id}).json()["post_view"]
        spread = [author_post(base, community_id, n) for n in range(rounds)]  # each by an author of its own
        key = signatures.generate_key_pair()
        client = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=args.concurrency))
        voters = PeerFarm(1, key)
        port = voters.ports[0]

        def like(voter: int, target: dict) -> dict:
            return {
                "id": f"{voters.base(port)}/activities/like/{uuid.uuid4()}",
                "type": "Like",
                "actor": voters.actor(port, f"voter{voter}"),
                "object": target["post"]["ap_id"],
            }

        def notes(count: int) -> list[dict]:
            """New comments by the known people, on the spread posts, each a Create of a Note on their host."""
            made = []
            for n in range(count):
                actor, target = voters.actor(port, f"voter{n % args.activities}"), spread[n % rounds]
                note = {
                    "id": f"{voters.base(port)}/comment/{uuid.uuid4()}",
                    "type": "Note",
                    "attributedTo": actor,
                    "inReplyTo": target["post"]["ap_id"],
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "audience": community_url,
                    "content": f"<p>comment {n}</p>",
                    "mediaType": "text/html",
                }
                activity_id = f"{voters.base(port)}/activities/create/{uuid.uuid4()}"
                made.append({"id": activity_id, "type": "Create", "actor": actor, "object": note, "to": note["to"]})
            return made

        if not args.fanout_only:
            # First from people never seen, all on one post: each costs a signed fetch of the actor before its
            # signature can be checked.
            results["inbound_activities"] = args.activities
            first = [like(v, hot) for v in range(args.activities)]
            results["inbound_new_actors"] = inbound(api, client, voters, inbox, first, args.concurrency, len(first))
            # The same people (keys known) on many posts by many authors: a busy peer's steady state.
            known = [like(v, spread[(v + r) % rounds]) for r in range(rounds) for v in range(args.activities)]
            results["inbound_known_actors"] = inbound_wrk(api, voters, inbox, known[: args.known], args, process.pid)
            # The same people all on one post at once: votes on one post (and on one author's posts) take turns.
            again = [like(v, hot_again) for v in range(args.activities)]
            results["inbound_known_one_post"] = inbound(api, client, voters, inbox, again, args.concurrency, len(again))
            if args.notes:
                results["inbound_known_notes"] = inbound_wrk(api, voters, inbox, notes(args.notes), args, process.pid)
            report = api.get("/agora/federation").json()
            results["received"] = report["received"]
            for target in (hot, hot_again):
                score = api.get("/post", params={"id": target["post"]["id"]}).json()["post_view"]["counts"]["score"]
                if score != args.activities + 1:  # and the author's own vote
                    failures = report["failures"][:3]
                    raise SystemExit(f"{target['post']['name']}: score {score}; {report['received']} {failures}")
        if args.inbound_only:
            print(json.dumps(results))
            return

        # Fan-out: one follower on each of many instances, some down, some slow; one post goes to each once.
        dead_n, slow_n = round(args.instances * args.dead), round(args.instances * args.slow)
        followers = PeerFarm(args.instances, key, slow=set(range(dead_n, dead_n + slow_n)), delay=args.delay)
        follows = [
            {
                "id": f"{followers.base(p)}/activities/follow/{uuid.uuid4()}",
                "type": "Follow",
                "actor": followers.actor(p, "follower"),
                "object": community_url,
            }
            for p in followers.ports
        ]
        results["follows"] = inbound(api, client, followers, inbox, follows, args.concurrency, args.instances)
        started = time.monotonic()
        while len(followers.received) < args.instances and time.monotonic() - started < args.timeout:
            time.sleep(0.2)  # the Accepts
        results["accepts_delivered"] = len(followers.received)
        results["accepts_seconds"] = round(time.monotonic() - started, 1)
        dead = followers.ports[:dead_n]
        slow = followers.ports[dead_n : dead_n + slow_n]
        healthy = followers.ports[dead_n + slow_n :]
        followers.kill(dead)
        time.sleep(0.5)
        followers.reset()
        server_pids = load.children(process.pid)
        cpu_before = load.cpu_seconds(server_pids)
        fanned = time.monotonic()
        api.post("/post", json={"name": "fan-out", "community_id": community_id})
        live = [*healthy, *slow]
        while len(followers.received) < len(live) and time.monotonic() - fanned < args.timeout:
            time.sleep(0.05)
        arrivals = {p: at - fanned for p, at in followers.received.items()}
        healthy_times = [arrivals[p] for p in healthy if p in arrivals]
        slow_times = [arrivals[p] for p in slow if p in arrivals]
        results["fanout"] = {
            "instances": args.instances,
            "dead": dead_n,
            "slow": slow_n,
            "slow_delay_seconds": args.delay,
            "healthy_reached": f"{len(healthy_times)}/{len(healthy)}",
            "slow_reached": f"{len(slow_times)}/{slow_n}",
            "healthy_seconds_p50": percentile(healthy_times, 0.5),
            "healthy_seconds_p99": percentile(healthy_times, 0.99),
            "healthy_seconds_max": percentile(healthy_times, 1.0),
            "slow_seconds_max": percentile(slow_times, 1.0) if slow_times else None,
            "server_cpu_seconds": round(load.cpu_seconds(server_pids) - cpu_before, 2),
        }
        if args.posts:
            # Throughput: a burst of posts, each to every instance; signed deliveries to the healthy per second.
            time.sleep(args.delay + 1)  # the slow ones' first post answered
            followers.reset()
            cpu_before, busy_before = load.cpu_seconds(server_pids), load.machine_busy_seconds()
            burst = time.monotonic()
            for n in range(args.posts):
                api.post("/post", json={"name": f"burst {n}", "community_id": community_id})
            posted = time.monotonic() - burst
            wanted = args.posts * len(healthy)
            while sum(followers.counts.get(p, 0) for p in healthy) < wanted and time.monotonic() - burst < args.timeout:
                time.sleep(0.05)
            got = sum(followers.counts.get(p, 0) for p in healthy)
            server_cpu = load.cpu_seconds(server_pids) - cpu_before
            machine_busy = load.machine_busy_seconds() - busy_before
            took = max([followers.last.get(p, burst) for p in healthy] + [burst + 1e-3]) - burst
            results["burst"] = {
                "posts": args.posts,
                "posting_seconds": round(posted, 2),
                "healthy_deliveries": f"{got}/{wanted}",
                "seconds": round(took, 2),
                "deliveries_per_second": round(got / took),
                # every POST (slow ones too) costs the server CPU: per delivery, and what 2 idle cores would allow
                "server_cpu_ms_per_delivery": round(server_cpu * 1000 / max(1, sum(followers.counts.values())), 3),
                "server_cpu_share_of_machine_busy": round(server_cpu / max(machine_busy, 1e-9), 2),
            }
        results["load_average"] = os.getloadavg()
        print(json.dumps(results))
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
