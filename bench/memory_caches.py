"""What a worker's caches hold after a read load: the app in this process, requests through ASGI, then a count.

Reports the process's RSS and USS after `create_app`, after the lifespan (engines open) and after `--rounds`
rounds of the listing reads of bench/memory.py plus a few pages, then per engine: SQLAlchemy's compiled cache
entries, the pool's connections, and per connection asyncpg's statement cache and the server's
`pg_prepared_statements`; and the sizes of the process caches that hold rows (`db.cached.UntilWrite`).

    AGORA_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1/agora_bench_small python bench/memory_caches.py
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys

import httpx
from memory import LISTINGS, rollup

PAGES = ["/", "/c/community_1", "/post/5"]


async def connections(engine) -> list[tuple[int, int]]:
    """(asyncpg's cached statements, the server's prepared statements) of each pooled connection."""
    out = []
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(engine.pool.checkedin()):  # every idle connection: the load has returned them all
            connection = await stack.enter_async_context(engine.connect())
            raw = (await connection.get_raw_connection()).driver_connection
            server = await raw.fetchval("SELECT count(*) FROM pg_prepared_statements")
            out.append((len(raw._stmt_cache), server))
    return out


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("AGORA_HOSTNAME", "localhost:8536")
    os.environ.setdefault("AGORA_SCHEDULER_ENABLED", "0")
    os.environ.setdefault("AGORA_RATE_LIMITS_ENABLED", "0")
    os.environ.setdefault("AGORA_ANONYMOUS_CACHE_SECONDS", "0")
    from agora.app import create_app
    from agora.db import cached

    def mib() -> str:
        m = rollup(os.getpid())
        return f"RSS {m['rss']:.1f} USS {m['uss']:.1f} MiB"

    app = create_app()
    gc.collect()
    print("after create_app:", mib())
    async with app.router.lifespan_context(app):
        print("after lifespan:  ", mib())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8536") as client:
            for paths in (LISTINGS, PAGES):
                for path in paths:
                    assert (await client.get(path)).status_code < 500, path
                print(f"after {'the API reads' if paths is LISTINGS else 'the pages'} once:", mib())
            for _ in range(args.rounds):
                for path in LISTINGS + PAGES:
                    assert (await client.get(path)).status_code < 500, path
        gc.collect()
        print(f"after {args.rounds} rounds:", mib())
        db = app.state.agora.db
        for name, engine in (("writer", db.writer), ("reader", db.reader)):
            compiled = engine.sync_engine._compiled_cache
            print(f"{name}: compiled cache {len(compiled) if compiled is not None else 0} entries,", end=" ")
            print(f"pool {engine.pool.status()}")
            for statements, prepared in await connections(engine):
                print(f"  connection: asyncpg statement cache {statements}, pg_prepared_statements {prepared}")
        caches = [o for o in gc.get_objects() if isinstance(o, cached.UntilWrite)]
        print(f"UntilWrite caches: {len(caches)}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
