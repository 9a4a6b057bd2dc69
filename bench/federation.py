"""Federation throughput on loopback: signed activities received and applied per second, and one post's fan-out to
many follower instances, some of them dead or slow.

    python bench/federation.py                       # a throw-away SQLite instance
    python bench/federation.py --database-url postgresql+asyncpg://postgres@127.0.0.1/agora_fed_bench
    python bench/federation.py --activities 2000 --instances 50 --dead 5 --slow 5

It starts `agora serve` (AGORA_FEDERATION_DEBUG=1, so loopback peers are reachable) and fake peer instances in this
process (Starlette on uvicorn), and prints one JSON line of results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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

from agora.federation import signatures

AGORA = str(Path(sys.executable).with_name("agora"))
AP = "application/activity+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeInstance:
    """Serves one actor with a key, counts what reaches its inbox; `delay` makes it slow."""

    def __init__(self, key: tuple[str, str], delay: float = 0.0) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.private, self.public = key
        self.delay = delay
        self.received: list[float] = []
        app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET", "POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        threading.Thread(target=lambda: asyncio.run(self.server.serve()), daemon=True).start()
        while not self.server.started:
            time.sleep(0.01)

    def actor(self, name: str) -> str:
        return f"{self.base}/u/{name}"

    async def handle(self, request: Request) -> Response:
        path = "/" + request.path_params["path"]
        if request.method == "POST":
            await request.body()
            if self.delay:
                await asyncio.sleep(self.delay)
            self.received.append(time.monotonic())
            return Response(status_code=202)
        name = path.rsplit("/", 1)[-1]
        url = f"{self.base}{path}"
        return JSONResponse({
            "id": url, "type": "Person", "preferredUsername": name, "inbox": f"{url}/inbox",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": self.public},
        }, media_type=AP)  # fmt: skip

    def send(self, client: httpx.Client, inbox: str, activity: dict) -> int:
        body = json.dumps(activity).encode()
        headers = signatures.sign_headers("POST", inbox, body, f"{activity['actor']}#main-key", self.private)
        return client.post(inbox, content=body, headers={**headers, "Content-Type": AP}).status_code


def serve(database_url: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
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
    process = subprocess.Popen([AGORA, "serve", "--port", str(port)], env=env, cwd=workdir, start_new_session=True)
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
    subprocess.run([AGORA, "admin", "create", "benchadmin", "--password-stdin"], input=b"bench password 123\n",
                   env=env, cwd=workdir, check=True, capture_output=True)  # fmt: skip
    login = {"username_or_email": "benchadmin", "password": "bench password 123"}
    return httpx.post(f"{base}/api/v3/user/login", json=login).json()["jwt"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--instances", type=int, default=30)
    parser.add_argument("--dead", type=int, default=3)
    parser.add_argument("--slow", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16, help="connections sending to the inbox at once")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="agora-fed-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    process, base = serve(database_url, workdir)
    try:
        token = admin_token(base, database_url, workdir)
        api = httpx.Client(base_url=f"{base}/api/v3", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        community = api.post("/community", json={"name": "bench", "title": "Bench"}).json()["community_view"]
        community_url = community["community"]["actor_id"]
        post = api.post("/post", json={"name": "target", "community_id": community["community"]["id"]}).json()
        post_url = post["post_view"]["post"]["ap_id"]
        key = signatures.generate_key_pair()
        voters = FakeInstance(key)
        client = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=args.concurrency))
        # Inbound: one Like per voter, each a new person (first sight: fetched once, then applied), sent by
        # `concurrency` connections at once as a busy peer would.
        likes = [
            {"id": f"{voters.base}/activities/like/{uuid.uuid4()}", "type": "Like",
             "actor": voters.actor(f"voter{n}"), "object": post_url}
            for n in range(args.activities)
        ]  # fmt: skip
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            codes = list(pool.map(lambda like: voters.send(client, f"{base}/inbox", like), likes))
        assert set(codes) == {202}, set(codes)
        accepted = time.monotonic() - started
        while True:
            received = api.get("/agora/federation").json()["received"]
            if received.get("applied", 0) + received.get("failed", 0) >= args.activities:
                break
            time.sleep(0.2)
        applied = time.monotonic() - started
        # Fan-out: followers on many instances (some dead, some slow); one post goes to each once.
        live = [FakeInstance(key, delay=1.0 if i < args.slow else 0.0) for i in range(args.instances - args.dead)]
        dead = [FakeInstance(key) for _ in range(args.dead)]
        for instance in [*live, *dead]:
            follow = {"id": f"{instance.base}/activities/follow/{uuid.uuid4()}", "type": "Follow",
                      "actor": instance.actor("follower"), "object": community_url}  # fmt: skip
            instance.send(client, f"{base}/inbox", follow)
        time.sleep(3)  # the Accepts
        for instance in dead:
            instance.server.should_exit = True
        time.sleep(0.5)
        for instance in live:
            instance.received.clear()
        fanned = time.monotonic()
        api.post("/post", json={"name": "fan-out", "community_id": community["community"]["id"]})
        healthy = live[args.slow :]
        while not all(i.received for i in healthy):
            time.sleep(0.05)
        fast_done = max(i.received[0] for i in healthy) - fanned
        while not all(i.received for i in live):
            time.sleep(0.05)
        all_done = max(i.received[0] for i in live) - fanned
        print(json.dumps({
            "database": database_url.split(":", 1)[0], "activities": args.activities, "concurrency": args.concurrency,
            "inbox_accepted_per_second": round(args.activities / accepted, 1),
            "applied_per_second": round(args.activities / applied, 1),
            "fanout_instances": args.instances, "dead": args.dead, "slow": args.slow,
            "fanout_seconds_healthy": round(fast_done, 2), "fanout_seconds_all_live": round(all_done, 2),
        }))  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
