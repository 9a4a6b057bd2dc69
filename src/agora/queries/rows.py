"""Plain rows by id: in batches for what a listing refers to, one by kind, or as the session already holds it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.base import Base
from agora.db.models import Comment, Community, Person, Post, PrivateMessage
from agora.queries import columns

Row = dict[str, Any]
M = TypeVar("M", bound=Base)


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


BY_KIND = {"person": Person, "community": Community, "post": Post, "comment": Comment, "message": PrivateMessage}


async def one(session: AsyncSession, kind: str, row_id: int) -> dict[str, Any] | None:
    model = BY_KIND[kind]
    found = (await session.execute(select(model.__table__).where(model.__table__.c.id == row_id))).mappings().first()
    return dict(found) if found else None


def already_loaded(session: AsyncSession, model: type[M], row_id: int) -> M | None:
    """The one as this session already holds it (a write loaded it a moment ago), else None: the federation
    builders that run inside the write ask again for what it has just read."""
    held = session.identity_map.get(session.identity_key(model, row_id))
    return held if isinstance(held, model) else None
