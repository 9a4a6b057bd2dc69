"""Bulk writes for the seeder: COPY on PostgreSQL, executemany on SQLite, tuples all the way.

Every column is filled as the ORM would leave it: the seeder gives some, the others get their defaults (computed
once per table: COPY and executemany bypass the ORM). Secondary indexes of the big tables are dropped before the
load and built again after it, which is several times faster than keeping them up to date row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Column, ColumnDefault, Table
from sqlalchemy.ext.asyncio import AsyncConnection


class Writer:
    """Rows of one table given as tuples in `names` order."""

    def __init__(self, conn: AsyncConnection, table: Table, names: Sequence[str]) -> None:
        self.conn, self.table = conn, table
        self.postgres = conn.dialect.name == "postgresql"
        rest = [c for c in table.columns if c.name not in names and not c.primary_key]
        self.columns = [*names, *(c.name for c in rest)]
        self.tail = tuple(_default(c) for c in rest)
        by_name = {c.name: c for c in table.columns}
        processors = [by_name[name].type._cached_bind_processor(conn.dialect) for name in self.columns]
        self.processors = processors if any(processors) else None
        marks = ", ".join("?" * len(self.columns))
        self.sql = f'INSERT INTO "{table.name}" ({", ".join(self.columns)}) VALUES ({marks})'
        self.written = 0

    async def write(self, rows: Iterable[tuple]) -> int:
        tail = self.tail
        records = [row + tail for row in rows]
        if not records:
            return 0
        driver: Any = (await self.conn.get_raw_connection()).driver_connection  # asyncpg's or aiosqlite's own
        if self.postgres:
            await driver.copy_records_to_table(self.table.name, records=records, columns=self.columns)
        else:
            if self.processors is not None:
                ps = self.processors
                records = [tuple(v if p is None else p(v) for p, v in zip(ps, r, strict=True)) for r in records]
            await driver.executemany(self.sql, records)
        self.written += len(records)
        return len(records)


def _default(column: Column[Any]) -> Any:
    default = column.default
    if not isinstance(default, ColumnDefault):  # no default, or a sequence's (the database fills it)
        return None
    return default.arg(None) if default.is_callable else default.arg


async def drop_indexes(conn: AsyncConnection, tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes of `tables` (not those behind primary keys or unique constraints); answers the
    statements that create them again."""
    if conn.dialect.name == "postgresql":
        found = await conn.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY($1) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (list(tables),),
        )
    else:
        marks = ", ".join("?" * len(tables))
        found = await conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tuple(tables),
        )
    indexes = [tuple(row) for row in found.all()]
    for name, _ in indexes:
        await conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [definition for _, definition in indexes]


async def create_indexes(
    conn: AsyncConnection, definitions: Sequence[str], progress: Callable[[str, int], None]
) -> None:
    for definition in definitions:
        await conn.exec_driver_sql(definition)
        progress("indexes", 0)
