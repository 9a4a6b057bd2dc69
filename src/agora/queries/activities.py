"""Activities as stored: those received (and their processing state) and those sent (by id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import ReceivedActivity, SentActivity


async def received(session: AsyncSession, *, state: str | None, limit: int) -> list[dict[str, Any]]:
    query = (
        select(
            ReceivedActivity.id,
            ReceivedActivity.ap_id,
            ReceivedActivity.actor,
            ReceivedActivity.kind,
            ReceivedActivity.state,
            ReceivedActivity.reason,
            ReceivedActivity.attempts,
            ReceivedActivity.received,
            ReceivedActivity.processed,
        )
        .order_by(ReceivedActivity.id.desc())
        .limit(limit)
    )
    if state:
        query = query.where(ReceivedActivity.state == state)
    return [dict(r) for r in (await session.execute(query)).mappings()]


async def received_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(ReceivedActivity.state, func.count()).group_by(ReceivedActivity.state))
    return dict(rows.all())


async def sent_json(session: AsyncSession, ap_id: str) -> str | None:
    return (await session.execute(select(SentActivity.data).where(SentActivity.ap_id == ap_id))).scalar_one_or_none()


async def is_received(session: AsyncSession, ap_id: str) -> bool:
    return (
        await session.execute(select(ReceivedActivity.id).where(ReceivedActivity.ap_id == ap_id))
    ).first() is not None


async def received_follow(session: AsyncSession, actor: str, followed: str) -> dict[str, Any] | None:
    """The latest Follow `actor` sent us of `followed` (as stored), for the Accept or Reject that answers it."""
    query = (
        select(ReceivedActivity.data)
        .where(ReceivedActivity.actor == actor, ReceivedActivity.kind == "Follow")
        .order_by(ReceivedActivity.id.desc())
        .limit(20)
    )
    for data in (await session.execute(query)).scalars():
        document = orjson.loads(data) if data else None
        target = document.get("object") if isinstance(document, dict) else None
        if (target.get("id") if isinstance(target, dict) else target) == followed:
            return document
    return None


async def sent(session: AsyncSession, ap_id: str) -> dict[str, Any] | None:
    data = await sent_json(session, ap_id)
    if not data:
        return None
    activity: dict[str, Any] = orjson.loads(data)
    return activity


async def inbox_backlog(session: AsyncSession) -> tuple[int, datetime | None]:
    """(received activities waiting to be applied, when the oldest of them arrived)."""
    count, oldest = (
        await session.execute(
            select(func.count(ReceivedActivity.id), func.min(ReceivedActivity.received)).where(
                ReceivedActivity.state == "queued"
            )
        )
    ).one()
    return count, oldest
