"""The inbox's two halves measured apart, for one or more code trees in alternating rounds: accepting (wrk sends
known actors' signed Likes and new comments to a server whose inbox worker is off) and applying (the same server
restarted with its worker on drains the backlog).

    python bench/inbox.py --trees /tmp/base/src src --rounds 2 --database inbox_bench

Each round of each tree uses a fresh PostgreSQL database (or `--sqlite`). One JSON line per round and tree.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

import load
from agora.federation import signatures
from federation import AP, PeerFarm, admin_token, author_post, free_port, serve

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def queue_counts(api: httpx.Client) -> dict:
    return api.get("/agora/federation").json()["received"]


def drain(url: str, workdir: Path, tree: str, token_for) -> dict:
    """Start the server with its worker on; time the backlog from the first look until nothing is queued."""
    process, base = start(url, workdir, tree, workers_on=True)
    try:
        api = httpx.Client(base_url=f"{base}/api/v3", headers={"Authorization": f"Bearer {token_for(base)}"})
        first = queue_counts(api)
        started = time.monotonic()
        while (now := queue_counts(api)).get("queued"):
            time.sleep(0.05)
        seconds = time.monotonic() - started
        done = sum(now.get(s, 0) for s in ("applied", "skipped", "failed"))
        before = sum(first.get(s, 0) for s in ("applied", "skipped", "failed"))
        return {
            "applied": done - before,
            "per_second": round((done - before) / seconds, 1),
            "failed": now.get("failed"),
        }
    finally:
        stop(process)


PORT = free_port()  # one for the whole run: an instance's hostname cannot change


def start(url: str, workdir: Path, tree: str, *, workers_on: bool):
    os.environ["PYTHONPATH"] = tree
    os.environ["AGORA_FEDERATION_WORKERS"] = "1" if workers_on else "0"
    return serve(url, workdir, 2 if url.startswith("postgresql") else 1, PORT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def accept(farm: PeerFarm, base: str, activities: list[dict], args, pid: int) -> dict:
    inbox = f"{base}/inbox"
    requests = []
    for activity in activities:
        body = json.dumps(activity)
        headers = signatures.sign_headers("POST", inbox, body.encode(), f"{activity['actor']}#main-key", farm.private)
        requests.append(load.Request("POST", "/inbox", {**headers, "Content-Type": AP}, body))
    run = load.run(
        base,
        requests,
        duration=args.duration,
        warmup=0,
        concurrency=args.concurrency,
        server_pids=lambda: load.children(pid),
        db_pids=list,
        sequential=True,
    )
    if run.requests >= len(requests):
        raise SystemExit(f"wrk ran out of activities ({len(requests)}): raise --known")
    return {
        "sent": run.requests,
        "errors": run.errors,
        "accepted_per_second": round(run.requests / run.seconds, 1),
        "p50_ms": run.p50_ms,
        "p99_ms": run.p99_ms,
        "server_cpu_ms": round(1000 * run.server_cpu_s / max(run.requests, 1), 2),
    }


def one_round(tree: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="agora-inbox-bench-"))
    if args.sqlite:
        url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    else:
        with contextlib.suppress(subprocess.CalledProcessError):
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=True)
        url = f"postgresql+asyncpg://postgres@127.0.0.1/{args.database}"
    made: list[str] = []

    def token_for(base: str) -> str:
        if not made:
            made.append(base)
            return admin_token(base, url, workdir)
        login = {"username_or_email": "benchadmin", "password": "bench password 123"}
        return httpx.post(f"{base}/api/v3/user/login", json=login).json()["jwt"]

    result: dict = {"tree": tree, "database": url.split(":", 1)[0], "load_before": os.getloadavg()[0]}
    process, base = start(url, workdir, tree, workers_on=False)
    try:
        api = httpx.Client(base_url=f"{base}/api/v3", headers={"Authorization": f"Bearer {token_for(base)}"})
        community = api.post("/community", json={"name": "bench", "title": "Bench"}).json()["community_view"]
        community_id, community_url = community["community"]["id"], community["community"]["actor_id"]
        spread = [author_post(base, community_id, n) for n in range(args.posts)]
        hot = api.post("/post", json={"name": "hot", "community_id": community_id}).json()["post_view"]
        farm = PeerFarm(1, signatures.generate_key_pair())
        port = farm.ports[0]
        actor = lambda n: farm.actor(port, f"voter{n}")  # noqa: E731
        client = httpx.Client(timeout=60)

        def like(n: int, target: dict) -> dict:
            activity_id = f"{farm.base(port)}/activities/like/{uuid.uuid4()}"
            return {"id": activity_id, "type": "Like", "actor": actor(n), "object": target["post"]["ap_id"]}

        with ThreadPoolExecutor(max_workers=16) as pool:  # the voters become known (their keys fetched)
            list(pool.map(lambda n: farm.send(client, f"{base}/inbox", like(n, hot)), range(args.voters)))
        likes = [
            like(n % args.voters, spread[(n % args.voters + n // args.voters) % args.posts]) for n in range(args.known)
        ]
        result["likes_accept"] = accept(farm, base, likes, args, process.pid)
    finally:
        stop(process)
    result["likes_apply"] = drain(url, workdir, tree, token_for)
    process, base = start(url, workdir, tree, workers_on=False)
    try:
        notes = []
        for n in range(args.known):
            note = {
                "id": f"{farm.base(port)}/comment/{uuid.uuid4()}",
                "type": "Note",
                "attributedTo": actor(n % args.voters),
                "inReplyTo": spread[n % args.posts]["post"]["ap_id"],
                "to": [PUBLIC],
                "audience": community_url,
                "content": f"<p>comment {n}</p>",
                "mediaType": "text/html",
            }
            activity_id = f"{farm.base(port)}/activities/create/{uuid.uuid4()}"
            notes.append({"id": activity_id, "type": "Create", "actor": note["attributedTo"], "object": note})
        result["notes_accept"] = accept(farm, base, notes, args, process.pid)
    finally:
        stop(process)
    result["notes_apply"] = drain(url, workdir, tree, token_for)
    result["load_after"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trees", nargs="+", default=["src"], help="src directories to compare, in turn")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--database", default="inbox_bench", help="PostgreSQL database (made afresh each round)")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--known", type=int, default=10000, help="activities made for wrk to send (at most)")
    parser.add_argument("--duration", type=int, default=5, help="seconds wrk sends")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    for _ in range(args.rounds):
        for tree in args.trees:
            print(json.dumps(one_round(str(Path(tree).resolve()), args)), flush=True)


if __name__ == "__main__":
    main()
