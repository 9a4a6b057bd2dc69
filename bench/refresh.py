"""One full rank refresh (jobs.ranks.refresh_all) against AGORA_DATABASE_URL, as the scheduler runs it."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

from agora.config import Settings
from agora.db.engine import open_database
from agora.jobs import ranks


async def main() -> None:
    # its own session name, so the benchmark does not count its database CPU as the server's
    db = open_database(Settings(), pool_size=2, application_name="agora-bench-refresh")
    try:
        await ranks.refresh_all(SimpleNamespace(db=db))
    finally:
        await db.dispose()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    asyncio.run(main())
