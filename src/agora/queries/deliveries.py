"""The outgoing queue's positions: what each instance has been sent and what waits for it."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import FederationQueueState, Instance, SentActivity
from agora.db.prepared import Prepared, fetch
from agora.queries.id_lists import one_of


@lru_cache(maxsize=1)
def _with_position() -> Prepared:
    state = FederationQueueState.__table__
    return Prepared(lambda _dialect: select(state.c.instance_id).where(one_of(state.c.instance_id, "ids")))


async def instances_with_position(session: AsyncSession, instance_ids: set[int]) -> set[int]:
    """Those of `instance_ids` that already have a delivery position."""
    if not instance_ids:
        return set()
    return {row[0] for row in await fetch(session, _with_position(), {"ids": sorted(instance_ids)})}


async def last_seq(session: AsyncSession) -> int:
    seq = (await session.execute(select(func.max(SentActivity.seq)))).scalar_one()
    return seq or 0  # nothing sent yet


async def pending_counts(session: AsyncSession) -> dict[int, tuple[int, datetime | None]]:
    """instance id → (activities after its position, published time of the first of them)."""
    rows = await session.execute(
        select(
            FederationQueueState.instance_id,
            func.count(SentActivity.id),
            func.min(SentActivity.published),
        )
        .join(SentActivity, SentActivity.seq > FederationQueueState.last_successful_seq)
        .group_by(FederationQueueState.instance_id)
    )
    return {instance_id: (count, first) for instance_id, count, first in rows}


async def backlog_by_instance(session: AsyncSession) -> list[tuple[str, int, datetime | None]]:
    """(domain, activities after its position, published time of the first of them) of every instance that has a
    delivery position: what /metrics reports as each instance's queue length and lag."""
    rows = await session.execute(
        select(Instance.domain, func.count(SentActivity.id), func.min(SentActivity.published))
        .select_from(FederationQueueState)
        .join(Instance, Instance.id == FederationQueueState.instance_id)
        .outerjoin(
            SentActivity,
            (SentActivity.seq > FederationQueueState.last_successful_seq) & SentActivity.seq.is_not(None),
        )
        .group_by(Instance.domain)
    )
    return [(domain, count, first) for domain, count, first in rows]
