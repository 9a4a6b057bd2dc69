"""Sharded counts: a count that every writer of the instance bumps is kept as its row's column plus the sum of
`SHARDS` rows of counter_shard, one of which each transaction adds to, so writers never queue on one row lock.

A read sums in the same statement (`columns`), so it is exact: a writer's shard row commits with what it counts.
Nothing folds shards back into the row: there are at most `SHARDS` per count, and `agora admin recount` sets the
row's column to the recount minus the shards' sum (domain.recounts), which keeps it exact under live writes.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, FromClause, Table, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from agora.db import upsert
from agora.db.models import CounterShard

SHARDS = 16
# Per counted table: the columns kept sharded.
SHARDED: dict[str, tuple[str, ...]] = {"local_site": ("users", "posts", "comments", "communities")}
_SHARD = "counter_shard"  # session.info key: the shard this transaction adds to


def pending(table: FromClause, scope: str, name: str) -> ColumnElement[int]:
    """The sum of the shards of `table`'s count `name` (0 when none), for the row of the outer query."""
    shard = CounterShard.__table__
    total = func.coalesce(func.sum(shard.c.value), 0)
    query = select(cast(total, BigInteger)).where(
        shard.c.scope == scope, shard.c.row_id == table.c.id, shard.c.name == name
    )
    return query.scalar_subquery()


def counted(table: FromClause, scope: str, name: str) -> ColumnElement[int]:
    """The exact count: the row's column plus its shards (the column alone when it is not sharded)."""
    if name not in SHARDED.get(scope, ()):
        return table.c[name]
    return table.c[name] + pending(table, scope, name)


def column_for(table: FromClause, scope: str, name: str, count: ColumnElement[int]) -> ColumnElement[int]:
    """What the column must hold for the exact count to be `count`: `count` less its shards when sharded."""
    if name not in SHARDED.get(scope, ()):
        return count
    return count - pending(table, scope, name)


def columns(table: FromClause, scope: str) -> list[ColumnElement[Any]]:
    """Every column of `table` in order, the sharded counts summed with their shards (labelled as the column)."""
    return [counted(table, scope, c.name).label(c.name) for c in table.c]


def split(table: Table, deltas: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """(`deltas` kept on the row, `deltas` kept in shards), zeros dropped."""
    sharded = SHARDED.get(table.name, ())
    on_row = {n: d for n, d in deltas.items() if d and n not in sharded}
    in_shards = {n: d for n, d in deltas.items() if d and n in sharded}
    return on_row, in_shards


def shard_of(info: dict[str, Any]) -> int:
    """The shard this transaction adds to (`info`: its session's), chosen at its first add."""
    shard: int = info.setdefault(_SHARD, random.randrange(SHARDS))
    return shard


def _add(dialect: str, info: dict[str, Any], scope: str, row_id: int, deltas: dict[str, int]) -> Executable:
    """The upsert adding `deltas` to this transaction's shard (one per transaction, so two transactions on the
    same shard take its rows in the same, sorted, order)."""
    shard = shard_of(info)
    rows = [
        {"scope": scope, "row_id": row_id, "name": name, "shard": shard, "value": deltas[name]}
        for name in sorted(deltas)
    ]
    statement = upsert.insert_for(dialect, CounterShard).values(rows)
    return statement.on_conflict_do_update(
        index_elements=["scope", "row_id", "name", "shard"],
        set_={"value": CounterShard.value + statement.excluded.value},
    )


async def add(session: AsyncSession, scope: str, row_id: int, deltas: dict[str, int]) -> None:
    await session.execute(_add(upsert.dialect_name(session), session.info, scope, row_id, deltas))


def add_now(session: Session, scope: str, row_id: int, deltas: dict[str, int]) -> None:
    """`add` from a sync session (the before-commit hook of domain.counters)."""
    session.execute(_add(session.get_bind().dialect.name, session.info, scope, row_id, deltas))


def forget(info: dict[str, Any]) -> None:
    """The transaction ended: the next one picks its shard afresh."""
    info.pop(_SHARD, None)
