"""GET /healthz and GET /readyz, for load balancers and orchestrators.

/healthz answers 200 while the process can run a request at all: no I/O, so a slow database never makes a
supervisor restart a healthy process. /readyz answers 200 when this process can serve: the database answers
within `TIMEOUT` seconds (on SQLite, the file it opened is still the one at its path), its schema is at the
migrations' heads, and the Redis the rate limits are kept in (`AGORA_REDIS_URL`), when there is one, answers.
Otherwise 503, with every check's outcome in the body:
{"status": "unavailable", "checks": {"database": "ok", "migrations": "behind: …"}}.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import text
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from agora.db.migrate import current_revisions, pending_revisions, sqlite_path
from agora.deps import AppState

TIMEOUT = 2.0
OPENED_FILE = "ops.sqlite_inode"


def note_database(state: AppState) -> None:
    """At start: which SQLite file this process opened (its inode), for /readyz to tell it from a replacement."""
    path = sqlite_path(state.settings.database_url) if state.db.is_sqlite else None
    if path is not None and path.exists():
        state.extras[OPENED_FILE] = path.stat().st_ino


async def healthz(scope: Scope, receive: Receive, send: Send) -> None:
    await JSONResponse({"status": "ok"})(scope, receive, send)


async def readyz(scope: Scope, receive: Receive, send: Send) -> None:
    state: AppState = scope["app"].state.agora
    checks: dict[str, str] = {}
    for name, check in _checks(state).items():
        try:
            outcome: str | None = await asyncio.wait_for(check(), TIMEOUT)
            checks[name] = outcome or "ok"
        except TimeoutError:
            checks[name] = f"no answer within {TIMEOUT:g} s"
        except Exception as error:
            checks[name] = f"{type(error).__name__}: {error}"[:300]
    ready = all(outcome == "ok" for outcome in checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    await JSONResponse(body, status_code=200 if ready else 503)(scope, receive, send)


def _checks(state: AppState) -> dict[str, Callable[[], Coroutine[Any, Any, str | None]]]:
    """name → a check answering None (or "ok") when fine, else what is wrong; raising counts as failed."""

    async def database() -> str | None:
        path = sqlite_path(state.settings.database_url) if state.db.is_sqlite else None
        # Open connections keep reading a removed file, and the next connection makes a new, empty one there.
        if path is not None and (not path.exists() or path.stat().st_ino != state.extras.get(OPENED_FILE)):
            return f"the database file {path} is gone or was replaced"
        async with state.db.writer.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None

    async def migrations() -> str | None:
        missing = pending_revisions(await current_revisions(state.db.writer))
        return f"behind: {', '.join(missing)} not applied" if missing else None

    checks: dict[str, Callable[[], Coroutine[Any, Any, str | None]]] = {"database": database, "migrations": migrations}
    if state.rate_limiter.shared:

        async def ping_redis() -> str | None:
            return None if await state.rate_limiter.storage.check() else "Redis did not answer"

        checks["redis"] = ping_redis
    return checks
