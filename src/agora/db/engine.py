"""Engines and sessions for both databases.

PostgreSQL: one pooled engine serves reads and writes; reads that may be slightly stale (`read(stale_ok=True)`)
go to a streaming replica when AGORA_DATABASE_REPLICA_URLS names one that is usable (db.replicas).

SQLite: one writer connection whose transactions start with BEGIN IMMEDIATE, so writers queue on the pool instead
of failing with "database is locked" when a read transaction tries to upgrade; and a small pool of reader
connections that run in parallel with it under WAL.

A write opens its transaction one way: a block that commits when it ends without an exception and rolls back
when it raises. `async with db.write() as session` (federation, jobs, workers); a request's `deps.WriteDb`, which is
that block around the handler; `transaction(engine)` for the command line's one-off engine. Nothing calls
`commit()` but `deps.after_commit`, which ends a request's block early to read its answer elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.pool import NullPool

from agora.config import Settings
from agora.db import viewer_versions
from agora.db.replicas import Replicas, reading_replica


def _configure_sqlite(engine: AsyncEngine, *, begin: str, query_only: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:  # the driver's own connection
        # Take transaction control from the driver so BEGIN is ours (see module docstring).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA cache_size=-65536")
        if query_only:
            cur.execute("PRAGMA query_only=ON")
        cur.close()
        # SQLite builds differ in math support; ranking SQL needs the same functions as on PostgreSQL.
        dbapi_connection.create_function("log", 1, _log10, deterministic=True)
        dbapi_connection.create_function("power", 2, _power, deterministic=True)
        dbapi_connection.create_function("greatest", 2, _greatest, deterministic=True)
        dbapi_connection.create_function("least", 2, _least, deterministic=True)

    if begin:

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin)


def _no_transaction_to_end(_dbapi_connection: object) -> None:
    pass


def _log10(x: float | None) -> float | None:
    return math.log10(x) if x is not None and x > 0 else None


def _power(x: float, y: float) -> float | None:
    try:
        return math.pow(x, y)
    except (ValueError, OverflowError, TypeError):
        return None


def _greatest(a: float | None, b: float | None) -> float | None:
    return a if b is None or (a is not None and a >= b) else b


def _least(a: float | None, b: float | None) -> float | None:
    return a if b is None or (a is not None and a <= b) else b


# Deadlock detected, serialization failure, lock timeout: the same transaction may well succeed a moment later.
_TRANSIENT_SQLSTATES = frozenset({"40P01", "40001", "55P03"})


def is_transient(exc: BaseException) -> bool:
    """Worth trying again later: the database was unreachable, or it aborted the transaction for a conflict with
    another one (not for anything in the data)."""
    if is_unavailable(exc):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None) or getattr(getattr(exc, "orig", None), "pgcode", None)
    if code in _TRANSIENT_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(getattr(exc, "orig", exc)).lower()


def is_unavailable(exc: BaseException) -> bool:
    """The database cannot be reached (down, restarting, pool exhausted): a 503 to retry, not a bug."""
    if isinstance(exc, (PoolTimeout, InterfaceError, ConnectionError, OSError)):
        return True
    if isinstance(exc, OperationalError):
        text = str(getattr(exc, "orig", exc)).lower()
        return "connect" in text or "closed" in text or "terminat" in text or "shutdown" in text
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class WriteSession(Session):
    """The sessions that write: each counts its committed writes on its Database (`commits`) and moves the
    viewer versions of what it wrote in its own transaction (db.viewer_versions). Read sessions are plain."""


def _wrote(info: dict[str, Any], table: str | None) -> None:
    """Note that the transaction wrote to `table` (None: to tables it cannot name, such as a textual statement)."""
    tables = info.setdefault("wrote", set())
    if tables is not None:
        if table is None:
            info["wrote"] = None
        else:
            tables.add(table)


@event.listens_for(WriteSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        _wrote(state.session.info, getattr(getattr(state.statement, "table", None), "name", None))
        viewer_versions.note_statement(state.session.info, state.statement, state.execution_options)


@event.listens_for(WriteSession, "after_flush")
def _note_flush(session: Session, _context: UOWTransaction) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        _wrote(session.info, obj.__table__.name)
    viewer_versions.note_flush(session.info, session.new, session.dirty, session.deleted)


@event.listens_for(WriteSession, "before_commit")
def _bump_versions(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: what it writes must be noted first
    viewer_versions.bump(session.info, session.connection())


@event.listens_for(WriteSession, "after_commit")
def _count_commit(session: Session) -> None:
    # After, not before the commit: a read that starts once the count has moved sees the write. A transaction
    # that only read (a worker polling for work) does not count.
    database = session.info.get("database")
    if database is not None and "wrote" in session.info:
        database.count_commit(session.info.pop("wrote"))


@event.listens_for(WriteSession, "after_rollback")
def _forget_statements(session: Session) -> None:
    session.info.pop("wrote", None)
    viewer_versions.forget(session.info)


@dataclass
class Database:
    """The engines of one process; `read()` and `write()` open sessions on the right one.

    `commits` counts the transactions this process has committed that wrote something (and, with a cluster, the
    writes other hosts told of: ops.write_signals): a cache of what was read can tell from it that something may
    have changed since (api.read_cache, db.cached.UntilWrite); `commits_of(tables)`, that something of `tables`
    may have."""

    reader: AsyncEngine
    writer: AsyncEngine
    is_sqlite: bool
    commits: int = 0
    replicas: Replicas | None = None
    # Of `commits`: those that named every table they wrote, and how many of them wrote each table.
    _named_commits: int = 0
    _table_commits: dict[str, int] = field(default_factory=dict)

    def count_commit(self, tables: set[str] | None) -> None:
        """A committed transaction wrote to `tables` (None: to tables it could not name)."""
        self.commits += 1
        if tables is not None:
            self._named_commits += 1
            for table in tables:
                self._table_commits[table] = self._table_commits.get(table, 0) + 1

    def commits_of(self, tables: frozenset[str]) -> int:
        """A count that moves with every commit that wrote, or may have written, one of `tables`: those that named
        one of them, and every commit that named none (a textual statement, another host's write)."""
        unnamed = self.commits - self._named_commits
        return unnamed + sum(self._table_commits.get(table, 0) for table in tables)

    def __post_init__(self) -> None:
        self._read_sessions = async_sessionmaker(self.reader, expire_on_commit=False, autoflush=False)
        self._write_sessions = async_sessionmaker(
            self.writer,
            expire_on_commit=False,
            autoflush=False,
            info={"database": self},
            sync_session_class=WriteSession,
        )

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits when the block ends without an exception."""
        async with self._write_sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self, *, stale_ok: bool = False) -> AsyncIterator[AsyncSession]:
        """A session that reads. `stale_ok`: the reader does not need this process's or anyone's latest writes
        (an anonymous page), so a replica may answer; otherwise, and when no replica is usable, the primary."""
        replica = await self.replicas.session() if stale_ok and self.replicas else None
        if replica is None:
            async with self._read_sessions() as session:
                yield session
            return
        marked = reading_replica.set(True)
        try:
            async with replica:
                yield replica
        finally:
            reading_replica.reset(marked)

    async def dispose(self) -> None:
        if self.replicas:
            await self.replicas.dispose()
        await self.reader.dispose()
        if self.writer is not self.reader:
            await self.writer.dispose()


def open_database(settings: Settings, *, pool_size: int | None = None, application_name: str = "agora") -> Database:
    url = settings.database_url
    if settings.is_sqlite:
        writer = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=60)
        _configure_sqlite(writer, begin="BEGIN IMMEDIATE", query_only=False)
        reader = create_async_engine(url, pool_size=settings.sqlite_readers, max_overflow=0, pool_timeout=60)
        # Readers run each statement in autocommit: a BEGIN and a ROLLBACK were two more thread hops per request.
        # SQLAlchemy still rolls back when a session ends, though the connection never holds a transaction: each
        # was a hop to its thread (about as costly as the read itself), so this engine's rollback does nothing.
        _configure_sqlite(reader, begin="", query_only=True)
        reader.sync_engine.dialect.do_rollback = _no_transaction_to_end  # type: ignore[method-assign,assignment]  # on purpose
        return Database(reader=reader, writer=writer, is_sqlite=True)
    size = pool_size or settings.db_pool_size
    engine = create_async_engine(
        url,
        pool_size=size,
        max_overflow=0,
        pool_timeout=10,
        pool_pre_ping=False,
        # The most recently used connection first: a handful stay hot (their prepared statements planned, their
        # backend's caches warm) instead of every request cycling through the whole pool.
        pool_use_lifo=True,
        connect_args={"server_settings": {"jit": "off", "application_name": application_name}, "command_timeout": 30},
    )
    replicas = Replicas(
        settings.replica_urls,
        max_lag=settings.database_replica_max_lag_seconds,
        pool_size=size,
        application_name=application_name,
    )
    return Database(reader=engine, writer=engine, is_sqlite=False, replicas=replicas)


@asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """`Database.write` for a one-off engine (open_admin_engine): a session whose transaction commits when the
    block ends without an exception."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        yield session


def open_admin_engine(settings: Settings) -> AsyncEngine:
    """A plain engine for migrations and CLI work: no pool to keep, one transaction at a time."""
    engine = create_async_engine(settings.database_url, poolclass=NullPool)
    if settings.is_sqlite:
        _configure_sqlite(engine, begin="BEGIN IMMEDIATE", query_only=False)
    return engine
