"""Atomic counter updates (`col = col + n`), so concurrent writers never lose an increment.

Lock order across a transaction, to keep PostgreSQL free of deadlocks: comment → post → person → community → site.

The rows every writer of a kind shares (the site's counts, a busy community's, an author's) are bumped with
`bump_at_commit`: the increments are summed and applied just before the transaction commits, in that lock order,
so each row is locked for one statement and the commit instead of from the bump to the end of the request (the
activity built for federation, the view answered). The site's counts, which every local post, comment and
sign-up bumps, are not kept on its row at all: they go to one of several shard rows (db.counter_shards), so the
instance's writers do not queue on one lock even for the commit.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from sqlalchemy import Integer, Table, Update, bindparam, event, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from agora.core.instance import LocalInstance
from agora.db import counter_shards
from agora.db.models import Comment, Community, LocalSite, Person

_LATER = "counts_at_commit"
# The rows that hold counts, and the order their locks are taken in.
Counted = type[Person] | type[Community] | type[LocalSite] | type[Comment]
_LOCK_ORDER: dict[Counted, int] = {Person: 0, Community: 1, LocalSite: 2}


async def bump(session: AsyncSession, model: Counted, row_id: int, **deltas: int) -> None:
    on_row, in_shards = counter_shards.split(model.__table__, deltas)
    if in_shards:
        await counter_shards.add(session, model.__tablename__, row_id, in_shards)
    values = {name: getattr(model, name) + delta for name, delta in on_row.items()}
    if values:
        await session.execute(update(model).where(model.id == row_id).values(**values))


async def bump_many(session: AsyncSession, model: Counted, row_ids: list[int], **deltas: int) -> None:
    if model.__tablename__ in counter_shards.SHARDED:
        raise ValueError(f"{model.__name__} counts are sharded: bump one row at a time")
    values = {name: getattr(model, name) + delta for name, delta in deltas.items() if delta}
    if values and row_ids:
        await session.execute(update(model).where(model.id.in_(sorted(row_ids))).values(**values))


def bump_at_commit(session: AsyncSession, model: Counted, row_id: int, **deltas: int) -> None:
    """Add `deltas` to the row when the transaction commits (nothing if it rolls back). Reads in the same
    transaction do not see them: only for counts that the rest of the write does not read."""
    if model not in _LOCK_ORDER:
        raise ValueError(f"{model.__name__} counts are bumped at once (lock order: see domain.counters)")
    pending: dict[tuple[int, int, Counted], Counter[str]] = session.info.setdefault(_LATER, {})
    pending.setdefault((_LOCK_ORDER[model], row_id, model), Counter()).update(deltas)


def bump_site_at_commit(session: AsyncSession, here: LocalInstance, **deltas: int) -> None:
    """`bump_at_commit` on this instance's site-wide counts (posts, comments, communities, users)."""
    bump_at_commit(session, LocalSite, here.local_site_id, **deltas)


@event.listens_for(Session, "before_commit")
def _apply_bumps_at_commit(session: Session) -> None:
    pending = session.info.pop(_LATER, None)
    for (_, row_id, model), deltas in sorted((pending or {}).items(), key=lambda item: item[0][:2]):
        changed, in_shards = counter_shards.split(model.__table__, deltas)
        if in_shards:
            counter_shards.add_now(session, model.__tablename__, row_id, in_shards)
        if changed:
            names = tuple(sorted(changed))
            session.execute(_bump(model.__table__, names), {"row_id": row_id, **{f"d_{n}": changed[n] for n in names}})


@lru_cache(maxsize=64)
def _bump(table: Table, names: tuple[str, ...]) -> Update:
    """`col = col + :d_col` for each of `names`, built once per set of counts (it runs in nearly every commit)."""
    changes = {table.c[name]: table.c[name] + bindparam(f"d_{name}", type_=Integer) for name in names}
    return update(table).where(table.c.id == bindparam("row_id", type_=Integer)).values(changes)


@event.listens_for(Session, "after_rollback")
def _drop_bumps_at_commit(session: Session) -> None:
    session.info.pop(_LATER, None)
    counter_shards.forget(session.info)


@event.listens_for(Session, "after_commit")
def _new_shard_next_time(session: Session) -> None:
    counter_shards.forget(session.info)
