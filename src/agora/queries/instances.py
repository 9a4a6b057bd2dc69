"""The servers this instance knows of: the instance list, allow/block rules, delivery state and inboxes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Community, FederationQueueState, FederationRule, Instance, Person
from agora.queries.rows import Row

INSTANCE = Instance.__table__


async def known(session: AsyncSession, *, limit: int = 500) -> list[Row]:
    query = select(INSTANCE).order_by(INSTANCE.c.domain).limit(limit)
    return [dict(row) for row in (await session.execute(query)).mappings()]


def _in_force() -> ColumnElement[bool]:
    """A rule holds until its end, if it has one (a block with an expiry)."""
    return or_(FederationRule.expires.is_(None), FederationRule.expires > now())


async def rules(session: AsyncSession) -> dict[str, str]:
    """domain → "allowed" | "blocked" for the site's allow and block lists (rules in force)."""
    rows = await session.execute(
        select(Instance.domain, FederationRule.kind)
        .join(Instance, Instance.id == FederationRule.instance_id)
        .where(_in_force())
    )
    return {domain: kind for domain, kind in rows}


async def with_delivery_state(session: AsyncSession, local_instance_id: int) -> list[dict[str, Any]]:
    """Every other instance we know, with its delivery state (None when we never sent it anything) and the site's
    rule in force for it (`rule` "allowed", "blocked" or None, with `rule_published`, `rule_updated`,
    `rule_expires`, `rule_reason`)."""
    rule = FederationRule
    query = (
        select(
            Instance.__table__,
            FederationQueueState.__table__,
            rule.kind.label("rule"),
            rule.published.label("rule_published"),
            rule.updated.label("rule_updated"),
            rule.expires.label("rule_expires"),
            rule.reason.label("rule_reason"),
        )
        .outerjoin(FederationQueueState, FederationQueueState.instance_id == Instance.id)
        .outerjoin(FederationRule, and_(FederationRule.instance_id == Instance.id, _in_force()))
        .where(Instance.id != local_instance_id)
        .order_by(Instance.domain)
    )
    return [dict(r) for r in (await session.execute(query)).mappings()]


async def inbox(session: AsyncSession, instance_id: int) -> str | None:
    """A shared inbox of an instance, from any actor of it we know; else `/inbox` beside one of its actors (so an
    instance on plain http, as in tests, keeps its scheme)."""
    for model in (Person, Community):
        found = (
            await session.execute(
                select(model.shared_inbox_url)
                .where(model.instance_id == instance_id, model.shared_inbox_url.is_not(None))
                .limit(1)
            )
        ).scalar_one_or_none()
        if found:
            return found
    for model in (Person, Community):
        actor = (
            await session.execute(select(model.actor_id).where(model.instance_id == instance_id).limit(1))
        ).scalar_one_or_none()
        if actor:
            parts = urlsplit(actor)
            return f"{parts.scheme}://{parts.netloc}/inbox"
    return None


async def without_software(session: AsyncSession, local_instance_id: int, limit: int) -> list[tuple[int, str]]:
    query = (
        select(Instance.id, Instance.domain)
        .where(Instance.software.is_(None), Instance.id != local_instance_id)
        .order_by(Instance.id)
        .limit(limit)
    )
    return [(instance_id, domain) for instance_id, domain in (await session.execute(query)).all()]
