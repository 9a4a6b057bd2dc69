"""Copying one table from a PostgreSQL source into Agora's database, a batch at a time, resumable.

Each table is read in the order of a key (the source's primary key) and each batch is written in one target
transaction, so the target always holds a prefix of the source in key order: the largest key already in the
target is where a rerun continues, with no bookkeeping table. A table without a usable key (`key=()`) is copied
whole in one transaction and counts as done once the target has any of its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy import ColumnDefault, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.base import Base
from agora.db.engine import Database

Row = dict[str, Any]
# A row as the target takes it, or a reason to skip it (a sentence, counted in the report).
Transform = Callable[[Row], "Row | str"]


@dataclass(frozen=True, slots=True)
class TableCopy:
    """`select` answers the target's column names from the source; `key` names its ordering columns (the source's
    primary key, also columns of the target). `only` narrows the target rows that belong to this copy (for
    counts, when several source tables go into one target table)."""

    source: str
    target: str
    select: str
    key: tuple[str, ...] = ("id",)
    transform: Transform | None = None
    only: Mapping[str, Any] = field(default_factory=dict)

    @property
    def table(self) -> Table:
        return Base.metadata.tables[self.target]


@dataclass(slots=True)
class Outcome:
    """What one table's copy did: rows written in this run, rows skipped, and why (reason → count)."""

    copied: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


Progress = Callable[[int], None]


def _narrowed(copy: TableCopy) -> list[Any]:
    return [copy.table.c[name] == value for name, value in copy.only.items()]


async def target_count(session: AsyncSession, copy: TableCopy) -> int:
    query = select(func.count()).select_from(copy.table).where(*_narrowed(copy))
    return int((await session.execute(query)).scalar_one())


async def source_count(source: asyncpg.Connection, copy: TableCopy) -> int:
    return int(await source.fetchval(f"SELECT count(*) FROM {copy.source}"))


async def skipped_count(source: asyncpg.Connection, copy: TableCopy) -> int:
    """How many source rows the transform refuses (only tables with a transform are read for it)."""
    if copy.transform is None:
        return 0
    outcome = Outcome()
    _prepared(copy, await source.fetch(copy.select), outcome)
    return sum(outcome.skipped.values())


async def resume_point(session: AsyncSession, copy: TableCopy) -> tuple[Any, ...] | None:
    """The largest key already copied, None when the table is still empty."""
    if not copy.key:
        return None
    columns = [copy.table.c[name] for name in copy.key]
    query = select(*columns).where(*_narrowed(copy)).order_by(*(c.desc() for c in columns)).limit(1)
    row = (await session.execute(query)).first()
    return tuple(row) if row is not None else None


def _page(copy: TableCopy, after: tuple[Any, ...] | None, batch: int) -> tuple[str, list[Any]]:
    keys = ", ".join(f"s.{name}" for name in copy.key)
    where = ""
    args: list[Any] = []
    if after is not None:
        marks = ", ".join(f"${i + 1}" for i in range(len(after)))
        where = f"WHERE ({keys}) > ({marks})"
        args = list(after)
    order = f"ORDER BY {keys} LIMIT {batch}" if copy.key else ""
    return f"SELECT * FROM ({copy.select}) AS s {where} {order}", args


def _prepared(copy: TableCopy, records: list[asyncpg.Record], outcome: Outcome) -> list[Row]:
    rows: list[Row] = []
    for record in records:
        row = {**dict(record), **copy.only}
        made = copy.transform(row) if copy.transform is not None else row
        if isinstance(made, str):
            outcome.skipped[made] = outcome.skipped.get(made, 0) + 1
        else:
            rows.append(made)
    return rows


async def _write(db: Database, copy: TableCopy, rows: list[Row]) -> None:
    if not rows:
        return
    async with db.write() as session:
        await insert_rows(session, copy.table, rows)


async def insert_rows(session: AsyncSession, table: Table, rows: list[Row]) -> None:
    """INSERT the rows (all with the same keys); on PostgreSQL by COPY, several times faster for a bulk load,
    with the model's Python-side defaults filled in as an INSERT would (COPY knows only the server's)."""
    if session.get_bind().dialect.name != "postgresql":
        await session.execute(insert(table), rows)
        return
    defaults = _python_defaults(table, rows[0].keys())
    columns = [*rows[0].keys(), *defaults.keys()]
    records = [(*row.values(), *defaults.values()) for row in rows]
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    assert raw is not None  # an open connection has its driver's
    await raw.copy_records_to_table(table.name, records=records, columns=columns)


def _python_defaults(table: Table, given: Iterable[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None or not isinstance(default, ColumnDefault):
            continue
        found[column.name] = default.arg(None) if default.is_callable else default.arg
    return found


async def run(source: asyncpg.Connection, db: Database, copy: TableCopy, *, batch: int, progress: Progress) -> Outcome:
    """Copy what the target does not have yet; `progress(rows)` after each batch (rows read from the source)."""
    outcome = Outcome()
    async with db.read() as session:
        after = await resume_point(session, copy)
        already = await target_count(session, copy) if not copy.key else 0
    if not copy.key:
        if already:
            return outcome
        records = await source.fetch(_page(copy, None, batch)[0])
        rows = _prepared(copy, records, outcome)
        async with db.write() as session:  # whole: a rerun finds all of it or none of it
            for start in range(0, len(rows), batch):
                await insert_rows(session, copy.table, rows[start : start + batch])
        outcome.copied = len(rows)
        progress(len(records))
        return outcome
    while True:
        query, args = _page(copy, after, batch)
        records = await source.fetch(query, *args)
        if not records:
            return outcome
        rows = _prepared(copy, records, outcome)
        await _write(db, copy, rows)
        outcome.copied += len(rows)
        after = tuple(records[-1][name] for name in copy.key)
        progress(len(records))


async def reset_sequence(session: AsyncSession, table: str) -> None:
    """On PostgreSQL, move the id sequence past the copied ids so the next row made here gets a fresh one
    (SQLite's INTEGER PRIMARY KEY takes the largest id + 1 by itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    await session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f'coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)'
        )
    )
