"""Statements built once and run on the driver connection: how the hot read paths avoid per-request overhead.

Building a SELECT with SQLAlchemy Core and executing it through a session costs about 1 ms of CPU for a 20-row
front page, most of the request (issue 7's profiles); the same SQL fetched through asyncpg costs about 0.2 ms. A
`Prepared` statement is built by its builder once per dialect and compiled once; `fetch` runs it on the session's
own driver connection (inside the session's transaction when it has one, so a write sees its own rows) and applies
SQLAlchemy's bind and result conversions, so values come back as a Core query would return them.

An INSERT or UPDATE with RETURNING runs the same way, but only as a statement that stands alone, on a connection
with no transaction of its own (`engine.connect()`): the driver then commits it by itself. The driver only
begins a session's transaction when SQLAlchemy sends its first statement, so a write run here first would not
be part of it.

Every value that may differ between requests must be a *named* `bindparam` (`bindparam("vid", viewer_id)`):
`fetch` refuses to run unless each named parameter is given, so no value can silently stay that of the request
that happened to build the statement. Anonymous binds (literals written inline) are constants of the statement.

Past SQLAlchemy's public API this uses two hooks, both in `fetch`: the connection's statement listeners, told by
hand, and the driver adapter's error translation. tests/faults/test_prepared_seam.py holds the seam (rows,
listeners, errors, a dropped connection) on both databases, and pyproject.toml keeps SQLAlchemy below 2.2.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NoReturn, cast

from sqlalchemy import Boolean, ColumnElement, bindparam, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import CompoundSelect, Select, visitors
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import ExternallyTraversible
from sqlalchemy.types import TypeEngine

from agora.db.base import UTCDateTime

Row = Sequence[Any]
Converter = Callable[[Any], Any]  # one column's value as the database gave it → as SQLAlchemy returns it
# what a builder may return: a SELECT (a UNION ALL of them too), or an INSERT/UPDATE … RETURNING
Statement = Select[*tuple[Any, ...]] | CompoundSelect[*tuple[Any, ...]] | UpdateBase


class Compiled:
    """One statement compiled for one dialect: SQL text, positional argument plan and result conversions."""

    __slots__ = ("_args", "_convert", "keys", "postgres", "sql")

    def __init__(self, statement: Statement, dialect: Dialect) -> None:
        # a copy of the same class: replacement_traverse keeps the type only for column expressions
        statement = cast(Statement, visitors.replacement_traverse(statement, {}, _inline_constants))
        compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        self.sql = compiled.string
        self.postgres = dialect.name == "postgresql"
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        plan: list[tuple[str, bool, Any, Converter | None]] = []
        for name in compiled.positiontup or ():
            bind = binds[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            plan.append((name, not bind.unique, bind.effective_value, process))
        self._args = tuple(plan)
        # a SELECT's columns, or what an INSERT/UPDATE … RETURNING answers
        columns = list(getattr(statement, "selected_columns", None) or statement.exported_columns)
        self.keys = tuple(column.key for column in columns)
        # asyncpg already answers what SQLAlchemy would (ints, floats, bools, str, timezone-aware UTC datetimes);
        # on SQLite, booleans come back as 0/1 and timestamps as text, converted by the column types.
        convert = [] if self.postgres else [_sqlite_result(column.type, dialect) for column in columns]
        self._convert = _row_converter(convert) if any(convert) else None

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        out: list[Any] = []
        for name, named, constant, process in self._args:
            if named:
                if name not in params:
                    raise KeyError(f"prepared statement needs parameter {name!r}")
                value = params[name]
            else:
                value = constant
            out.append(process(value) if process is not None else value)
        return out

    def rows(self, raw: list[Any]) -> list[Row]:
        return raw if self._convert is None else self._convert(raw)


def _row_converter(convert: list[Converter | None]) -> Callable[[list[Any]], list[Row]]:
    """A function that converts a statement's rows, written out for its columns (`convert[i]` for column i, or
    None), as `collections.namedtuple` writes its class: a loop over the columns of each row cost four times
    the conversions themselves, a tenth of a SQLite front page."""
    names: dict[str, Any] = {}
    items = []
    for i, f in enumerate(convert):
        if f is None:
            items.append(f"r[{i}]")
        else:
            names[f"f{i}"] = f
            items.append(f"None if r[{i}] is None else f{i}(r[{i}])")
    exec(f"def convert(raw):\n    return [[{', '.join(items)}] for r in raw]", names)
    converter: Callable[[list[Any]], list[Row]] = names["convert"]
    return converter


def _sqlite_result(type_: TypeEngine[Any], dialect: Dialect) -> Converter | None:
    """The conversion SQLAlchemy applies to a SQLite value of `type_`, or None. The two that every view row needs
    many of are written out: 0/1 to bool, and the UTC timestamps SQLite keeps as text (UTCDateTime)."""
    if isinstance(type_, UTCDateTime):
        return _utc_timestamp
    if isinstance(type_, Boolean):
        return bool
    return type_.dialect_impl(dialect).result_processor(dialect, None)


# SQLite's timestamps, parsed: the same posts' and people's times come back in every listing.
_TIMESTAMPS: dict[str, datetime] = {}
_TIMESTAMPS_KEPT = 32_768


def _utc_timestamp(text: str) -> datetime:
    found = _TIMESTAMPS.get(text)
    if found is None:
        if len(_TIMESTAMPS) >= _TIMESTAMPS_KEPT:
            _TIMESTAMPS.clear()
        found = _TIMESTAMPS[text] = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return found


def _inline_constants(element: ExternallyTraversible, **_kw: Any) -> ExternallyTraversible | None:
    """Constants of the statement (`!= 'LocalOnly'`, `LIMIT 20`) go into the SQL text: as parameters, PostgreSQL
    would plan a generic plan without knowing them (`visibility <> $3` estimated to match nothing, `LIMIT $1` a
    tenth of the table), find it dear, and plan every execution afresh instead (1.5-4 ms a time on the large
    set). Named parameters stay parameters, their values given to `fetch`."""
    if not isinstance(element, BindParameter) or element.expanding:
        return None
    if not element.unique:  # a named parameter stays one, its value checked by Compiled.args instead
        return bindparam(element.key, type_=element.type, required=False)
    if type(element.value) not in (str, int, float, bool):
        return None
    return element.render_literal_execute()


def with_values(clause: ColumnElement[bool], values: Mapping[str, Any]) -> ColumnElement[bool]:
    """`clause` with its named parameters set to `values`, for building into an ad-hoc query (search).

    SQLAlchemy 2.1 keeps `.params()` for whole statements only, where it is applied at compile time: a where
    clause taken out of such a statement would lose the values."""

    def bind(element: ExternallyTraversible, **_kw: Any) -> ExternallyTraversible | None:
        if isinstance(element, BindParameter) and not element.unique and element.key in values:
            return bindparam(element.key, values[element.key], type_=element.type)
        return None

    return visitors.replacement_traverse(clause, {}, bind)


class Prepared:
    """A statement from `build(dialect_name)`, compiled the first time it runs on each dialect."""

    __slots__ = ("_build", "_compiled")

    def __init__(self, build: Callable[[str], Statement]) -> None:
        self._build = build
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = Compiled(self._build(dialect.name), dialect)
        return found


async def fetch(session: AsyncSession | AsyncConnection, prepared: Prepared, params: Mapping[str, Any]) -> list[Row]:
    """The rows of `prepared` with `params`, as tuples in the statement's column order (`Compiled.keys`)."""
    conn = await session.connection() if isinstance(session, AsyncSession) else session
    compiled = prepared.compiled(conn.dialect)
    args = compiled.args(params)
    pooled = await conn.get_raw_connection()
    driver = pooled.driver_connection
    assert driver is not None, "get_raw_connection answers a live connection (None only once invalidated)"
    sync = conn.sync_connection
    if sync is not None and sync.dispatch.before_cursor_execute:
        # The driver call below bypasses SQLAlchemy's execute: its listeners (query counts, statement logs) are
        # told anyway, without a cursor or an execution context, which this path does not have.
        sync.dispatch.before_cursor_execute(sync, None, compiled.sql, args, None, False)
    try:
        if compiled.postgres:
            raw = await driver.fetch(compiled.sql, *args)
        else:
            raw = await driver.execute_fetchall(compiled.sql, args)
    except Exception as error:
        await _raise_as_sqlalchemy(conn, pooled, compiled.sql, args, error)
    return compiled.rows(raw)


async def _raise_as_sqlalchemy(
    conn: AsyncConnection, pooled: PoolProxiedConnection, sql: str, args: list[Any], error: Exception
) -> NoReturn:
    """Raise `error` as SQLAlchemy would have after its own execute: wrapped in DBAPIError, and the connection
    invalidated when it is gone, so the pool replaces it and the API answers 503 as for any other query."""
    dialect = conn.dialect
    dbapi = dialect.loaded_dbapi
    translated: Exception = error
    dbapi_connection = pooled.dbapi_connection
    if (
        not isinstance(error, dbapi.Error)
        and dbapi_connection is not None
        and hasattr(dbapi_connection, "_handle_exception")
    ):
        try:
            dbapi_connection._handle_exception(error)  # the driver adapter's own error translation
        except Exception as adapted:
            translated = adapted
    if isinstance(translated, dbapi.Error):
        gone = dialect.is_disconnect(translated, pooled.dbapi_connection, None)
        if gone:
            await conn.invalidate()
        raise exc.DBAPIError.instance(
            sql, args, translated, dbapi.Error, connection_invalidated=gone, dialect=dialect
        ) from error
    if isinstance(error, OSError):
        await conn.invalidate()
    raise error
