"""A shared, short-lived cache of the API's anonymous reads: the front page, community pages, comment trees.

Most reads of a busy instance are by visitors and apps that are not logged in, asking for the same few listings,
and every one of them costs the server about 3 ms of CPU (routing, parameters, view building, JSON) against well
under 1 ms in the database. An anonymous answer does not depend on who asks, so the first one is kept for
`AGORA_ANONYMOUS_CACHE_SECONDS` (default 1 s) and served to everyone asking the same path and query string
meanwhile, the way a microcaching proxy in front of the server would, but without one to set up.

What it never serves from the cache: a request carrying a login (an `Authorization` header or a `jwt` cookie),
anything but a GET of the routes below, and any answer but a 200 without cookies. On a private instance no
anonymous request reaches it: agora.gate, in front of it, refuses them first. An entry is also dropped as soon
as this process commits a write (`Database.commits` moves), so whoever writes here reads their own write, and a
busy instance's writes cost it a miss per listing and write, not the cache; a write made by another process shows
once the entry expires. A hit still spends the client's `message` rate-limit token, as the route would.

Misses are single-flight: when an entry is missing or stale, the first request builds the answer and those asking
for the same key meanwhile await it instead of building it too. Without that, every connection of a busy listing
misses in the same millisecond the entry expires, and a 300-comment tree is built eight times at once.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agora.deps import AppState, allows

CACHED_PATHS = frozenset(
    {
        "/api/v3/post/list",
        "/api/v3/post",
        "/api/v3/comment/list",
        "/api/v3/comment",
        "/api/v3/community/list",
        "/api/v3/community",
        "/api/v3/site",
    }
)
MAX_ENTRIES = 4096
MAX_BODY_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # per process: a crawler asking for every thread cannot grow it past this


@dataclass(slots=True)
class _Entry:
    expires: float
    commits: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    endpoint: Any  # what made the answer: a hit carries it, so agora.ops's metrics label it as that route


@dataclass(slots=True)
class _Flight:
    """An answer being built for a key: what the ones asking meanwhile await (None if it cannot be shared)."""

    commits: int
    answer: asyncio.Future[_Entry | None]


def carries_login(scope: Scope) -> bool:
    return any(name == b"authorization" or (name == b"cookie" and b"jwt=" in value) for name, value in scope["headers"])


class AnonymousReadCache:
    def __init__(
        self, app: ASGIApp, *, ttl: float, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_TOTAL_BYTES
    ) -> None:
        self.app = app
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: dict[bytes, _Entry] = {}  # oldest first: every entry lives `ttl`, so also first to expire
        self._bytes = 0
        self._flights: dict[bytes, _Flight] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.ttl <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] not in CACHED_PATHS
            or carries_login(scope)
        ):
            await self.app(scope, receive, send)
            return
        state: AppState = scope["app"].state.agora
        key = scope["path"].encode() + b"?" + scope["query_string"]
        started, commits = time.monotonic(), state.db.commits
        entry = self._entries.get(key)
        fresh = entry is not None and entry.expires > started and entry.commits == commits
        flight = None if fresh else self._flights.get(key)
        if flight is not None and flight.commits != commits:
            flight = None  # it began before a write this reader may have seen: its answer could be older
        if (fresh or flight is not None) and await self._within_rate_limit(scope, state):
            if flight is not None:
                entry = await asyncio.shield(flight.answer)
            if entry is not None:
                scope["endpoint"], scope["path_params"] = entry.endpoint, {}
                # a copy: middleware outside this one (CORS) edits the headers of the message in place
                await send({"type": "http.response.start", "status": 200, "headers": list(entry.headers)})
                await send({"type": "http.response.body", "body": entry.body})
                return
            await self.app(scope, receive, send)  # the one it awaited could not be shared (an error, too big)
            return
        if not fresh and flight is None and key not in self._flights:
            await self._lead(key, started + self.ttl, commits, scope, receive, send)
            return
        # over the rate limit, or another flight for this key is under way: the route answers (and refuses)
        await self.app(scope, receive, send)

    async def _lead(self, key: bytes, expires: float, commits: int, scope: Scope, receive: Receive, send: Send) -> None:
        flight = _Flight(commits, asyncio.get_running_loop().create_future())
        self._flights[key] = flight
        entry = None
        try:
            entry = await self._answer_and_keep(key, expires, commits, scope, receive, send)
        finally:
            del self._flights[key]
            flight.answer.set_result(entry)

    async def _within_rate_limit(self, scope: Scope, state: AppState) -> bool:
        if not state.settings.rate_limits_enabled:
            return True
        site = await state.site_cache.get_settings(state.db, state.here)
        client = scope.get("client")
        return await allows(state, site, "message", client[0] if client else None)

    async def _answer_and_keep(
        self, key: bytes, expires: float, commits: int, scope: Scope, receive: Receive, send: Send
    ) -> _Entry | None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = {**message, "headers": list(message["headers"])}  # as the route made it, before CORS
                keep = message["status"] == 200 and all(name != b"set-cookie" for name, _ in message["headers"])
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                keep = size <= MAX_BODY_BYTES
                chunks.append(body)
            await send(message)

        await self.app(scope, receive, capture)
        if not keep or start is None:
            return None
        entry = _Entry(expires, commits, start["headers"], b"".join(chunks), scope.get("endpoint"))
        self._keep(key, entry)
        return entry

    def _keep(self, key: bytes, entry: _Entry) -> None:
        replaced = self._entries.pop(key, None)
        if replaced is not None:
            self._bytes -= len(replaced.body)
        if len(entry.body) > self.max_bytes:
            return
        now = time.monotonic()
        while self._entries:
            oldest_key = next(iter(self._entries))
            oldest = self._entries[oldest_key]
            full = len(self._entries) >= self.max_entries or self._bytes + len(entry.body) > self.max_bytes
            if oldest.expires > now and not full:
                break
            del self._entries[oldest_key]
            self._bytes -= len(oldest.body)
        self._entries[key] = entry
        self._bytes += len(entry.body)

    @property
    def size(self) -> tuple[int, int]:
        """(entries, body bytes) held."""
        return len(self._entries), self._bytes
