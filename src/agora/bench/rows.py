"""Bulk writes for the seeder: COPY on PostgreSQL, executemany on SQLite; every column filled as the ORM would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 20_000


def complete(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """`row` with every other column set to its Python-side default (COPY bypasses the ORM's defaults)."""
    out = dict(row)
    for column in table.columns:
        if column.name in out or (column.primary_key and column.name not in row):
            continue
        default = column.default
        if default is None:
            out[column.name] = None
        elif default.is_callable:
            out[column.name] = default.arg(None)
        else:
            out[column.name] = default.arg
    return out


async def insert(conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    rows = [complete(table, r) for r in rows]
    names = list(rows[0])
    if conn.dialect.name == "postgresql":
        raw = await conn.get_raw_connection()
        records = [tuple(r[n] for n in names) for r in rows]
        await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=names)
    else:
        for start in range(0, len(rows), CHUNK):
            await conn.execute(table.insert(), rows[start : start + CHUNK])
