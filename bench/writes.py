"""Agora's writes against the hand-written baseline (bench/baseline_writes.py), on one seeded PostgreSQL database.

It starts both servers on the database (2 workers each), checks that one comment and one vote through each write
the same rows (read back and compared, ids and times aside), then measures create comment and vote in alternating
bursts (A then B, the next round B then A, so the machine's drift falls on both) and prints, per operation, the
median req/s, server and database CPU per request, and each round's Agora/baseline ratio of req/s.

    .venv/bin/python bench/writes.py --database agora_bench_medium     # seeded by `bench/suite.py medium-pg`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import run as agora_run  # bench/run.py
from pair import alternate, compare, describe

HERE = Path(__file__).resolve().parent
PASSWORD = "benchmark password"

# What a comment or a vote changes, read before and after: (label, SQL with %(post)s, %(person)s, %(comment)s).
COMMENT_EFFECTS = {
    "post.comments": "SELECT comments FROM post WHERE id = %(post)s",
    "person.comment_count": "SELECT comment_count FROM person WHERE id = %(person)s",
    "person.comment_score": "SELECT comment_score FROM person WHERE id = %(person)s",
    "community.comments": "SELECT c.comments FROM community c JOIN post p ON p.community_id = c.id"
    " WHERE p.id = %(post)s",
    "site comments": "SELECT s.comments + coalesce((SELECT sum(value) FROM counter_shard WHERE scope = 'local_site'"
    " AND name = 'comments'), 0) FROM local_site s",
    "parent.child_count": "SELECT child_count FROM comment WHERE id = %(comment)s",
    "comment rows": "SELECT count(*) FROM comment WHERE post_id = %(post)s",
    "own upvotes": "SELECT count(*) FROM comment_like l JOIN comment c ON c.id = l.comment_id"
    " WHERE c.post_id = %(post)s AND l.person_id = %(person)s",
    "reply notifications": "SELECT count(*) FROM comment_reply r JOIN comment c ON c.id = r.comment_id"
    " WHERE c.post_id = %(post)s",
}
VOTE_EFFECTS = {
    "post.score": "SELECT score FROM post WHERE id = %(post)s",
    "post.upvotes": "SELECT upvotes FROM post WHERE id = %(post)s",
    "post.downvotes": "SELECT downvotes FROM post WHERE id = %(post)s",
    "author post_score": "SELECT u.post_score FROM person u JOIN post p ON p.creator_id = u.id WHERE p.id = %(post)s",
    "vote rows": "SELECT count(*) FROM post_like WHERE post_id = %(post)s",
}
COMMENT_ROW = (
    "SELECT creator_id, content, removed, deleted, local, depth, distinguished, locked,"
    " language_id, score, upvotes, downvotes, child_count, updated FROM comment WHERE id = $1"
)


def start_baseline(database: str, script: str = "baseline_writes.py") -> tuple[subprocess.Popen, str]:
    """`script` (a baseline in bench/) served with 2 workers on a free port, once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, str(HERE / script), "--database-url", database, "--port", str(port)]
    process = subprocess.Popen(command, cwd=HERE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base, timeout=2)
            return process, base
        except httpx.HTTPError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the baseline did not start")


async def effects(db: asyncpg.Connection, queries: dict[str, str], **keys: int) -> dict[str, Any]:
    """Each query's value, its `%(name)s` keys filled in (ids only, from the database itself)."""
    return {label: await db.fetchval(sql % keys) for label, sql in queries.items()}


def delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: after[k] - before[k] for k in before}


async def same_rows(db: asyncpg.Connection, servers: dict[str, str], auth: dict[str, str], person: int) -> None:
    """One reply and one vote through each server on posts in the same state: the same rows must change alike."""
    # a post neither wrote on, with a parent comment by someone else, so that a reply notification is due
    rows = await db.fetch(
        "SELECT c.post_id, c.id FROM comment c JOIN local_user u ON u.person_id = c.creator_id"
        " JOIN post p ON p.id = c.post_id WHERE c.creator_id <> $1 AND NOT p.locked AND NOT p.removed"
        " AND NOT p.deleted AND c.depth = 0 ORDER BY c.id DESC LIMIT 2",
        person,
    )
    unvoted = await db.fetch(
        "SELECT id FROM post p WHERE NOT removed AND NOT deleted AND NOT EXISTS (SELECT 1 FROM post_like l"
        " WHERE l.post_id = p.id AND l.person_id = $1) ORDER BY id DESC LIMIT 2",
        person,
    )
    seen: dict[str, tuple[Any, ...]] = {}
    http = httpx.AsyncClient(timeout=30)
    for (name, base), (post_id, parent_id), (vote_post,) in zip(servers.items(), rows, unvoted, strict=True):
        keys = {"post": post_id, "person": person, "comment": parent_id}
        before = await effects(db, COMMENT_EFFECTS, **keys)
        body = {"post_id": post_id, "parent_id": parent_id, "content": "same rows"}
        answer = await http.post(f"{base}/api/v3/comment", json=body, headers=auth)
        answer.raise_for_status()
        comment_id = answer.json()["comment_view"]["comment"]["id"]
        comment_delta = delta(before, await effects(db, COMMENT_EFFECTS, **keys))
        row = await db.fetchrow(COMMENT_ROW, comment_id)
        before = await effects(db, VOTE_EFFECTS, post=vote_post)
        for score in (1, -1):
            voted = await http.post(
                f"{base}/api/v3/post/like", json={"post_id": vote_post, "score": score}, headers=auth
            )
            voted.raise_for_status()
        vote_delta = delta(before, await effects(db, VOTE_EFFECTS, post=vote_post))
        seen[name] = (
            tuple(sorted(comment_delta.items())),
            tuple(row or ()),
            tuple(sorted(vote_delta.items())),
        )
    await http.aclose()
    agora, baseline = seen.values()
    if agora != baseline:
        raise SystemExit(f"the baseline writes other rows than Agora:\n agora    {agora}\n baseline {baseline}")
    print(f"same rows: a reply changes {dict(agora[0])}; an upvote then a downvote {dict(agora[2])}")


async def prepare(dsn: str, servers: dict[str, str], auth: dict[str, str]) -> list[int]:
    """Check the rows first; answer the posts the load writes on."""
    db = await asyncpg.connect(dsn)
    try:
        person = await db.fetchval("SELECT id FROM person WHERE name = 'bench0'")
        await same_rows(db, servers, auth, person)
        return [r[0] for r in await db.fetch("SELECT id FROM post WHERE NOT locked ORDER BY random() LIMIT 500")]
    finally:
        await db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="agora_bench_medium", help="a database seeded by `agora bench seed`")
    parser.add_argument("--server", default=os.environ.get("AGORA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=5, help="seconds of each burst")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--output", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    dsn = f"{args.server}/{args.database}"
    agora, agora_base = agora_run.start_server(dsn.replace("postgresql://", "postgresql+asyncpg://"), workers=2)
    baseline, baseline_base = start_baseline(dsn)
    try:
        token = httpx.post(
            f"{agora_base}/api/v3/user/login", json={"username_or_email": "bench0", "password": PASSWORD}
        ).json()["jwt"]
        auth = {"Authorization": f"Bearer {token}"}
        servers = {"agora": agora_base, "baseline": baseline_base}
        post_ids = asyncio.run(prepare(dsn, servers, auth))
        load_avg_before = os.getloadavg()[0]
        rng = random.Random(1)
        operations = {
            "create comment": [
                agora_run.post("/comment", {"post_id": rng.choice(post_ids), "content": "benchmark comment"}, auth)
                for _ in range(200)
            ],
            "vote": [
                agora_run.post("/post/like", {"post_id": rng.choice(post_ids), "score": rng.choice((1, -1))}, auth)
                for _ in range(200)
            ],
        }
        report: dict[str, Any] = {"database": args.database, "rounds": args.rounds, "operations": {}}
        for operation, requests in operations.items():
            # a second's pause: in-flight writes of one server's burst end before the other's begins
            runs = alternate(
                servers, requests, rounds=args.rounds, duration=args.duration, concurrency=args.concurrency, pause=1
            )
            figures = compare(runs)
            report["operations"][operation] = figures
            print(describe(operation, figures, 16))
        report["load_average"] = {"before": load_avg_before, "after": os.getloadavg()[0]}
        print(f"load average: {load_avg_before:.2f} before, {os.getloadavg()[0]:.2f} after")
        if args.output:
            args.output.write_text(json.dumps(report, indent=2) + "\n")
    finally:
        for process in (agora, baseline):
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
