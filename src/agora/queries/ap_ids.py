"""Which of our rows an ActivityPub id names: every activity asks this before anything else."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, FromClause, bindparam, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.prepared import Prepared, fetch
from agora.queries.rows import BY_KIND


async def row_id(session: AsyncSession, kind: str, url: str) -> int | None:
    table, column = _by_id_column(kind)
    return (await session.execute(select(table.c.id).where(column == url))).scalar_one_or_none()


# Lemmy-shaped paths say what an id is, so the likely table is asked first.
_HINTS = (
    ("/post/", "post"),
    ("/comment/", "comment"),
    ("/u/", "person"),
    ("/users/", "person"),
    ("/c/", "community"),
    ("/private_message/", "message"),
)


def _by_id_column(kind: str) -> tuple[FromClause, ColumnElement[Any]]:
    table = BY_KIND[kind].__table__
    return table, table.c.actor_id if kind in ("person", "community") else table.c.ap_id


@lru_cache(maxsize=16)
def _find_object(order: tuple[str, ...]) -> Prepared:
    """One statement probes every table's unique id index, in `order`; the first that has the id answers. Every
    activity asks this (and `actor_key`) before anything else: one round trip instead of up to five."""
    url: BindParameter[str] = bindparam("url")
    parts = []
    for rank, kind in enumerate(order):
        table, column = _by_id_column(kind)
        parts.append(select(literal_column(str(rank)).label("rank"), table.c.id).where(column == url))
    query = union_all(*parts).order_by(literal_column("rank")).limit(1)
    return Prepared(lambda _dialect: query)


async def find_object(session: AsyncSession, url: str) -> tuple[str, int] | None:
    """Which of our rows has this ActivityPub id: ("post", 12), ("person", 3) … or None."""
    order = tuple(dict.fromkeys([*(kind for hint, kind in _HINTS if hint in url), *BY_KIND]))
    rows = await fetch(session, _find_object(order), {"url": url})
    return (order[int(rows[0][0])], rows[0][1]) if rows else None
