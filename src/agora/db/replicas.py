"""PostgreSQL streaming replicas (AGORA_DATABASE_REPLICA_URLS) for the reads that may be slightly stale.

`Database.read(stale_ok=True)` takes a session from `Replicas.session()`: the next usable replica in turn, or None,
and then the caller reads the primary. Only reads that may be stale ask (deps: anonymous page and API GETs);
members, writes and background work read the primary, so a member always sees their own writes.

A replica is usable while it answers and is no more than `max_lag` seconds behind. Its lag is looked at on the
session's own connection at most every `LOOK_EVERY` seconds: nothing replayed yet waiting is 0, else the time since
the last transaction it replayed. One that fails to connect, or is a primary itself, is left alone for `RETRY_AFTER`
seconds. A dead pooled connection shows at checkout (pre-ping), so a replica that dies between two looks costs
the request a reconnect attempt, not an error.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

LOOK_EVERY = 1.0
RETRY_AFTER = 5.0

log = logging.getLogger(__name__)

# True while the current task reads through a replica session: db.cached keeps nothing built from one, because
# its values are shared with members, who must see their own writes.
reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)

# Seconds behind the primary: 0 when everything received is replayed; NULL when this server is not a standby.
_LAG = text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL"
    " WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0"
    " ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 'Infinity') END"
)


@dataclass
class Replica:
    engine: AsyncEngine
    lag: float = math.inf  # at the last look; unknown counts as too far behind
    looked_at: float = -math.inf
    down_until: float = 0.0
    looking: bool = False
    sessions: async_sessionmaker[AsyncSession] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, autoflush=False, info={"replica": self.name}
        )

    @property
    def name(self) -> str:
        url = self.engine.url
        return f"{url.host}:{url.port or 5432}/{url.database}"


class Replicas:
    def __init__(self, urls: list[str], *, max_lag: float, pool_size: int, application_name: str) -> None:
        self.max_lag = max_lag
        self.all = [
            Replica(
                create_async_engine(
                    url,
                    pool_size=pool_size,
                    max_overflow=0,
                    pool_timeout=10,
                    pool_pre_ping=True,
                    pool_use_lifo=True,
                    connect_args={
                        "server_settings": {"jit": "off", "application_name": application_name},
                        "command_timeout": 30,
                        "timeout": 2,
                    },
                )
            )
            for url in urls
        ]
        self._turn = itertools.count()

    def __bool__(self) -> bool:
        return bool(self.all)

    async def session(self) -> AsyncSession | None:
        """An open session on a usable replica (the caller closes it), or None: read the primary."""
        if not self.all:
            return None
        start = next(self._turn)
        for i in range(len(self.all)):
            replica = self.all[(start + i) % len(self.all)]
            session = await self._open(replica)
            if session is not None:
                return session
        return None

    async def _open(self, replica: Replica) -> AsyncSession | None:
        now = time.monotonic()
        if replica.down_until > now:
            return None
        look = now - replica.looked_at >= LOOK_EVERY and not replica.looking
        if not look and replica.lag > self.max_lag:
            return None
        session = replica.sessions()
        try:
            if look:
                replica.looking = True
                try:
                    lag = (await session.execute(_LAG)).scalar()
                finally:
                    replica.looking = False
                replica.looked_at = time.monotonic()
                if lag is None:
                    log.warning("database replica %s is not a standby; reading the primary", replica.name)
                    replica.down_until = now + RETRY_AFTER
                    replica.lag = math.inf
                else:
                    replica.lag = float(lag)
                if replica.lag > self.max_lag:
                    await session.close()
                    return None
            else:
                await session.connection()
        except (SQLAlchemyError, OSError, TimeoutError) as exc:  # whatever went wrong, the primary can answer
            await session.close()
            log.warning("database replica %s unavailable (%s); reading the primary", replica.name, exc)
            replica.down_until = time.monotonic() + RETRY_AFTER
            replica.lag = math.inf
            return None
        return session

    async def dispose(self) -> None:
        for replica in self.all:
            await replica.engine.dispose()
