"""Recounts: every kept count (domain.aggregates says what each is) compared with its recount, and set to it.

Each table is read a range of ids at a time, by one set-based SELECT that joins the rows to grouped recounts and
answers only the rows that differ. A repair locks those rows (FOR NO KEY UPDATE, the lock writers take to change
them) and sets them from a recount made by the next statement, whose snapshot is taken under the locks: a write
to what they count has committed before it (and is counted) or waits to add its own increment after. It is safe
on a live instance; on SQLite every write transaction is serial anyway. A sharded count (db.counter_shards) is
compared and set as its column plus its shards, both read by one statement, so it needs no lock to be exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.config import Settings
from agora.db import counter_shards, dml
from agora.db.engine import open_database
from agora.domain.aggregates import AGGREGATES, Aggregate, Within

LOCK_CHUNK = 1000  # rows locked and set per statement by a repair (each names them in a few IN lists)


@dataclass(frozen=True, slots=True)
class Mismatch:
    table: str
    row_id: int
    column: str
    stored: int
    recounted: int


def _between(lo: int, hi: int) -> Within:
    return lambda key: and_(key >= lo, key < hi)


async def id_span(session: AsyncSession, aggregate: Aggregate) -> tuple[int, int] | None:
    """(lowest id, highest id + 1) of the table's rows, or None when it has none."""
    ids = aggregate.table.c[aggregate.key]
    lo, hi = (await session.execute(select(func.min(ids), func.max(ids)))).one()
    return None if lo is None else (lo, hi + 1)


def batches(span: tuple[int, int], size: int) -> Iterator[tuple[int, int]]:
    for lo in range(span[0], span[1], size):
        yield lo, min(lo + size, span[1])


def _differing(aggregate: Aggregate, within: Within) -> Select[*tuple[Any, ...]]:
    t = aggregate.table.alias("counted")
    key = t.c[aggregate.key]
    recount = aggregate.recounted(aggregate.table.alias("target"), within).subquery("recount")
    stored = [counter_shards.counted(t, aggregate.name, name) for name in aggregate.columns]
    differs = or_(*(kept != recount.c[name] for kept, name in zip(stored, aggregate.columns, strict=True)))
    again = [recount.c[name] for name in aggregate.columns]
    return select(key, *stored, *again).join(recount, recount.c.id == key).where(within(key), differs).order_by(key)


def _among(ids: list[int]) -> Within:
    def within(key: ColumnElement[int]) -> ColumnElement[bool]:
        return key.in_(ids)

    return within


async def check(session: AsyncSession, aggregate: Aggregate, lo: int, hi: int) -> list[Mismatch]:
    """The counts of rows lo ≤ id < hi that differ from their recount; changes nothing."""
    width = len(aggregate.columns)
    found = []
    for row in (await session.execute(_differing(aggregate, _between(lo, hi)))).all():
        for i, name in enumerate(aggregate.columns):
            stored, recounted = row[1 + i], row[1 + width + i]
            if stored != recounted:
                found.append(Mismatch(aggregate.name, row[0], name, int(stored), int(recounted)))
    return found


async def repair(session: AsyncSession, aggregate: Aggregate, ids: list[int]) -> int:
    """Set the counts of rows `ids` to their recount (under their row locks); answers how many rows changed."""
    table, changed = aggregate.table, 0
    key = table.c[aggregate.key]
    ids = sorted(set(ids))
    for start in range(0, len(ids), LOCK_CHUNK):
        chunk = ids[start : start + LOCK_CHUNK]
        lock = select(key).where(key.in_(chunk)).order_by(key).with_for_update(key_share=True)
        await session.execute(lock)
        recount = aggregate.recounted(table.alias("target"), _among(chunk)).subquery("recount")
        # A sharded count is its column plus its shards: the column is set to the recount less the shards, both
        # read in this statement's snapshot (a writer's shard commits with what it counts).
        scope, names = aggregate.name, aggregate.columns
        statement = (
            update(table)
            .values({table.c[n]: counter_shards.column_for(table, scope, n, recount.c[n]) for n in names})
            .where(
                key == recount.c.id,
                key.in_(chunk),
                or_(*(counter_shards.counted(table, scope, n) != recount.c[n] for n in names)),
            )
        )
        changed += await dml.rows_changed(session, statement)
    return changed


@dataclass(slots=True)
class Tally:
    """What a run found and did, per table: mismatched counts, rows they were on, rows changed by the repair."""

    mismatches: dict[str, int]
    rows: dict[str, int]
    changed: dict[str, int]


async def run(
    settings: Settings,
    *,
    repair_counts: bool,
    batch_size: int,
    progress: Callable[[str, int, int], None],
    found: Callable[[Mismatch], None],
) -> Tally:
    """Check every aggregate, batch by batch (with `repair_counts`, set the rows that differ). `progress(table,
    ids done, ids in all)` after each batch; `found(mismatch)` for each count that differs."""
    tally = Tally({}, {}, {})
    db = open_database(settings, pool_size=2, application_name="agora-recount")
    try:
        for aggregate in AGGREGATES:
            name = aggregate.name
            tally.mismatches[name] = tally.rows[name] = tally.changed[name] = 0
            async with db.read() as session:
                span = await id_span(session, aggregate)
            if span is None:
                progress(name, 0, 0)
                continue
            progress(name, 0, span[1] - span[0])
            for lo, hi in batches(span, batch_size):
                async with db.read() as session:
                    mismatches = await check(session, aggregate, lo, hi)
                for mismatch in mismatches:
                    found(mismatch)
                ids = sorted({m.row_id for m in mismatches})
                tally.mismatches[name] += len(mismatches)
                tally.rows[name] += len(ids)
                if repair_counts and ids:
                    async with db.write() as session:
                        tally.changed[name] += await repair(session, aggregate, ids)
                progress(name, hi - span[0], span[1] - span[0])
    finally:
        await db.dispose()
    return tally
