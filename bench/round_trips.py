"""The SQL statements one reply comment and one vote make, each a round trip to the database: printed in order.

Runs the app in this process on a seeded database (its writes stay there: use a copy), signs in as bench0 and
makes a reply to someone else's comment, then an upvote and a downvote on a post it had not voted on.

    PYTHONPATH=src .venv/bin/python bench/round_trips.py --database writes_bench [--verbose]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import httpx
from sqlalchemy import event, text

from agora.app import create_app
from agora.config import Settings

PASSWORD = "benchmark password"


class Statements:
    def __init__(self, engines) -> None:
        self.engines = engines
        self.seen: list[str] = []

    def _seen(self, _conn, _cursor, statement: str, *_args) -> None:
        task = asyncio.current_task()
        if task is None or not task.get_name().startswith("agora-"):  # the background workers poll on their own
            self.seen.append(" ".join(statement.split()))

    def __enter__(self) -> Statements:
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._seen)


async def measure(database_url: str, verbose: bool) -> None:
    settings = Settings(database_url=database_url, rate_limits_enabled=False, scheduler_enabled=False)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        db = app.state.agora.db
        engines = {db.writer.sync_engine, db.reader.sync_engine}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://agora") as http:
            login = await http.post("/api/v3/user/login", json={"username_or_email": "bench0", "password": PASSWORD})
            auth = {"Authorization": f"Bearer {login.json()['jwt']}"}
            async with db.write() as session:
                person = (await session.execute(text("SELECT id FROM person WHERE name = 'bench0'"))).scalar_one()
                post_id, parent_id = (
                    await session.execute(
                        text(
                            "SELECT c.post_id, c.id FROM comment c JOIN local_user u ON u.person_id = c.creator_id"
                            " JOIN post p ON p.id = c.post_id WHERE c.creator_id <> :me AND NOT p.locked"
                            " AND NOT p.removed AND NOT p.deleted AND c.depth = 0 ORDER BY c.id DESC LIMIT 1"
                        ),
                        {"me": person},
                    )
                ).one()
                vote_post = (
                    await session.execute(
                        text(
                            "SELECT id FROM post p WHERE NOT removed AND NOT deleted AND NOT EXISTS (SELECT 1 FROM"
                            " post_like l WHERE l.post_id = p.id AND l.person_id = :me) ORDER BY id DESC LIMIT 1"
                        ),
                        {"me": person},
                    )
                ).scalar_one()
            # a first request of each kind warms the process's caches (settings, prepared statements)
            await http.post("/api/v3/comment", json={"post_id": post_id, "content": "warm"}, headers=auth)
            await http.post("/api/v3/post/like", json={"post_id": vote_post, "score": 0}, headers=auth)
            requests = [
                ("reply comment", "/api/v3/comment", {"post_id": post_id, "parent_id": parent_id, "content": "hi"}),
                ("upvote", "/api/v3/post/like", {"post_id": vote_post, "score": 1}),
                ("downvote", "/api/v3/post/like", {"post_id": vote_post, "score": -1}),
            ]
            for name, path, body in requests:
                with Statements(engines) as statements:
                    answer = await http.post(path, json=body, headers=auth)
                answer.raise_for_status()
                print(f"{name}: {len(statements.seen)} statements")
                for statement in statements.seen:
                    print("   ", statement if verbose else statement[:150])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="writes_bench", help="a copy of a database seeded by `agora bench seed`")
    parser.add_argument("--server", default=os.environ.get("AGORA_BENCH_PG", "postgresql+asyncpg://postgres@127.0.0.1"))
    parser.add_argument("--verbose", action="store_true", help="print each statement whole")
    args = parser.parse_args()
    os.environ.setdefault("AGORA_HOSTNAME", "localhost:8536")
    asyncio.run(measure(f"{args.server}/{args.database}", args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
