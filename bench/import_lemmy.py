"""How fast `agora import lemmy` copies a Lemmy-shaped database of a given size.

    python bench/import_lemmy.py --posts 10000 --comments 100000 --target postgres
    python bench/import_lemmy.py --posts 100000 --comments 1000000 --target sqlite

The Lemmy database (`lemmy_bench_POSTS_COMMENTS_SCHEMA` on AGORA_BENCH_PG, our own SQL of its 0.19 schema from
tests/importers/lemmy_019.sql) is filled once by generate_series and reused; each run imports it into a new
Agora database and prints rows/s per table, the recount's time, and the whole. The result is saved as
bench/results/import-lemmy-POSTS-TARGET.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
import time
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent), str(ROOT)]  # the tests' Lemmy schema; the other benches' database helpers

from counters import PG, database_url, fresh_database  # noqa: E402
from tests.importers.lemmy_source import SCHEMA  # noqa: E402

from agora.config import Settings  # noqa: E402
from agora.db.migrate import upgrade  # noqa: E402
from agora.federation.signatures import generate_key_pair  # noqa: E402
from agora.importers import lemmy  # noqa: E402

DOMAIN = "lemmy.bench"


def fill_sql(posts: int, comments: int, persons: int, communities: int, key: str) -> str:
    """Half the comments are top-level; each of the other half answers one of those (paths two deep). Every
    person follows a few communities and votes on posts and comments."""
    base = f"https://{DOMAIN}"
    half = comments // 2
    return f"""
    INSERT INTO instance (id, domain, software) VALUES (1, '{DOMAIN}', 'lemmy');
    INSERT INTO site (id, name, actor_id, inbox_url, public_key, instance_id)
      VALUES (1, 'Bench', '{base}/', '{base}/site_inbox', $k${key}$k$, 1);
    INSERT INTO local_site (id, site_id, site_setup) VALUES (1, 1, true);
    INSERT INTO person (id, name, actor_id, inbox_url, public_key, private_key, instance_id)
      SELECT g, 'p' || g, '{base}/u/p' || g, '{base}/u/p' || g || '/inbox', 'pub', 'priv', 1
      FROM generate_series(1, {persons}) g;
    INSERT INTO local_user (id, person_id, password_encrypted, accepted_application)
      SELECT g, g, '$2b$04$abcdefghijklmnopqrstuuA8ZP.8WkXwZ1Y6D4l1sQ2Yx0fVQm3/a', true
      FROM generate_series(1, least({persons}, 1000)) g;
    INSERT INTO community (id, name, title, actor_id, inbox_url, public_key, private_key, instance_id)
      SELECT g, 'c' || g, 'Community ' || g, '{base}/c/c' || g, '{base}/c/c' || g || '/inbox', 'pub', 'priv', 1
      FROM generate_series(1, {communities}) g;
    INSERT INTO community_follower (community_id, person_id)
      SELECT DISTINCT (p * 7 + k) % {communities} + 1, p FROM generate_series(1, {persons}) p,
        generate_series(1, 3) k;
    INSERT INTO post (id, name, body, creator_id, community_id, ap_id, published)
      SELECT g, 'Post ' || g, repeat('body text ', 20), g % {persons} + 1, g % {communities} + 1,
             '{base}/post/' || g, now() - (({posts} - g) || ' minutes')::interval
      FROM generate_series(1, {posts}) g;
    INSERT INTO comment (id, creator_id, post_id, content, ap_id, path, published)
      SELECT g, g % {persons} + 1, g % {posts} + 1, 'A comment, number ' || g, '{base}/comment/' || g,
             ('0.' || g)::ltree, now()
      FROM generate_series(1, {half}) g;
    INSERT INTO comment (id, creator_id, post_id, content, ap_id, path, published)
      SELECT g, g % {persons} + 1, (g - {half}) % {posts} + 1, 'A reply, number ' || g, '{base}/comment/' || g,
             ('0.' || (g - {half}) || '.' || g)::ltree, now()
      FROM generate_series({half} + 1, {comments}) g;
    INSERT INTO post_like (post_id, person_id, score)
      SELECT (g / {persons}) % {posts} + 1, g % {persons} + 1, 1 FROM generate_series(0, {posts} - 1) g;
    INSERT INTO comment_like (person_id, comment_id, post_id, score)
      SELECT g % {persons} + 1, c.id, c.post_id, 1 FROM generate_series(0, {comments} / 2 - 1) g
      JOIN comment c ON c.id = g + 1;
    SELECT setval('post_id_seq', {posts}); SELECT setval('comment_id_seq', {comments});
    ANALYZE;
    """


async def lemmy_database(posts: int, comments: int) -> str:
    schema = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()[:8]  # a changed schema is filled anew
    name = f"lemmy_bench_{posts}_{comments}_{schema}"
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = f"{PG}/{name}"
    if not exists:
        started = time.perf_counter()
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(SCHEMA.read_text())
            persons, communities = max(100, posts // 10), max(10, posts // 1000)
            await conn.execute(fill_sql(posts, comments, persons, communities, generate_key_pair()[1]))
        finally:
            await conn.close()
        print(f"filled {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return url


async def agora_database(target: str, label: str) -> str:
    if target == "sqlite":
        path = ROOT / "data" / f"import-{label}.db"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        name = f"agora_bench_import_{label}"
        await fresh_database(name)
        url = database_url(name)
    await upgrade(Settings(database_url=url))
    return url


class Clock:
    """Times each table of the import (an importers.lemmy.Watcher)."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, float]] = {}
        self.current: str | None = None
        self.started = time.perf_counter()

    def _close(self) -> None:
        if self.current is not None:
            entry = self.tables[self.current]
            entry["seconds"] = time.perf_counter() - entry["start"]

    def table(self, name: str, total: int, done: int) -> None:
        self._close()
        self.current = name
        self.tables[name] = {"rows": 0, "start": time.perf_counter()}

    def rows(self, name: str, count: int) -> None:
        self.tables[name]["rows"] += count


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--target", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    source = await lemmy_database(args.posts, args.comments)
    label = f"{args.posts}-{args.target}"
    target = await agora_database(args.target, label)
    settings = Settings(database_url=target, hostname=DOMAIN)
    clock = Clock()
    started = time.perf_counter()
    report = await lemmy.run(settings, source, batch=args.batch, watcher=clock)
    clock._close()
    total = time.perf_counter() - started
    rows = sum(report.copied.values())
    result = {
        "posts": args.posts,
        "comments": args.comments,
        "target": args.target,
        "batch": args.batch,
        "rows": rows,
        "seconds": round(total, 1),
        "rows_per_second": round(rows / total),
        "tables": {
            name: {
                "rows": int(t["rows"]),
                "seconds": round(t.get("seconds", 0.0), 2),
                "rows_per_second": round(t["rows"] / t["seconds"]) if t.get("seconds") else None,
            }
            for name, t in clock.tables.items()
            if t["rows"] or name == "counts"
        },
    }
    print(f"{'table':<24}{'rows':>10}{'seconds':>10}{'rows/s':>10}")
    for name, t in result["tables"].items():
        print(f"{name:<24}{t['rows']:>10}{t['seconds']:>10}{t['rows_per_second'] or '':>10}")
    print(f"{'all':<24}{rows:>10}{result['seconds']:>10}{result['rows_per_second']:>10}")
    out = ROOT / "results" / f"import-lemmy-{label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
