"""Plain rows by id, in batches: the persons, communities, posts and comments a listing refers to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Comment, Community, Person, Post
from agora.queries import columns

Row = dict[str, Any]


async def _by_id(
    session: AsyncSession, table: Table, names: Sequence[str], ids: Iterable[int | None]
) -> dict[int, Row]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await session.execute(select(*[table.c[n] for n in names]).where(table.c.id.in_(wanted)))
    return {row["id"]: dict(row) for row in rows.mappings()}


async def persons(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Row]:
    return await _by_id(session, Person.__table__, columns.PERSON, ids)


async def communities(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Row]:
    return await _by_id(session, Community.__table__, columns.COMMUNITY, ids)


async def posts(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Row]:
    return await _by_id(session, Post.__table__, columns.POST, ids)


async def comments(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Row]:
    return await _by_id(session, Comment.__table__, columns.COMMENT, ids)
