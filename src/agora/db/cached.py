"""The one rule of the process's caches of database reads: a value is shared until it is `ttl` seconds old or this
process commits a write (`Database.commits` moves), whichever comes first. A cache that names the tables it
reads lapses only on a write to one of them (`Database.commits_of`).

A write made by this process shows at its next read; one made by another process within `ttl`. The value is built
by whoever asks first after it lapsed; the commit count is read before building, so a write that lands meanwhile
makes the next ask build again. Kept on the app's state (deps.AppState), never in a module global. What each
cache saves and how to turn it off: docs/performance.md.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.replicas import reading_replica

# session.info key: how a request's session reaches the process's cache of the site settings (deps.write_session
# puts it there), so that a write's rules and its subscribers do not read the settings row again.
SITE_SETTINGS = "site_settings"


async def site_settings(session: AsyncSession) -> Mapping[str, Any] | None:
    """The site settings (local_site's columns by name) as the process's cache holds them, when the session has
    it (a request's); None for a session without it (a worker's), which reads the row itself."""
    settings = session.info.get(SITE_SETTINGS)
    return None if settings is None else await settings()


class Commits(Protocol):
    commits: int

    def commits_of(self, tables: frozenset[str]) -> int: ...


T = TypeVar("T")


class UntilWrite(Generic[T]):
    def __init__(
        self, db: Commits, ttl: float, *, built_by_readers: bool = False, tables: frozenset[str] | None = None
    ) -> None:
        """`built_by_readers`: values are built on the asking request's own session, which for an anonymous
        request may be a replica's; such a value is used once, not kept, since members share it. `tables`: every
        table the value is read from, when the value lapses only on a write to one of them."""
        self.db, self.ttl = db, ttl
        self.built_by_readers = built_by_readers
        self.tables = tables
        self._value: T | None = None
        self._commits = -1
        self._expires = 0.0

    def _written(self) -> int:
        return self.db.commits if self.tables is None else self.db.commits_of(self.tables)

    async def get(self, build: Callable[[], Awaitable[T]]) -> T:
        if self._value is not None and self._commits == self._written() and time.monotonic() < self._expires:
            return self._value
        commits = self._written()
        value = await build()
        if self.ttl > 0 and not (self.built_by_readers and reading_replica.get()):
            self._value, self._commits, self._expires = value, commits, time.monotonic() + self.ttl
        return value

    @property
    def last(self) -> T | None:
        """The value as last built, however old (for when the database cannot be asked)."""
        return self._value

    def invalidate(self) -> None:
        self._expires = 0.0
