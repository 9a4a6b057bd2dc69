"""The site's allow list and block list of instances: one instance at a time (1.0's admin routes), or a whole list
at once (0.19's EditSite). Both go through `_put`, the one write of a rule.

An instance is on one list at most. One-instance writes refuse to start a block list while instances are allowed,
or an allow list while instances are blocked, as Lemmy 1.0 does (a mixed pair of lists has no clear meaning); the
list edit replaces a list whole, and an instance put on one list leaves the other.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import FederationRule, Instance
from agora.domain import bans, limits
from agora.domain.permissions import Acting, require_admin
from agora.domain.remote import instance_for
from agora.errors import AgoraError, Code

ALLOWED, BLOCKED = "allowed", "blocked"
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9.\-]{0,253})(:[0-9]{1,5})?$")
REASON_MAX = 1000


def _domain(here: LocalInstance, given: str) -> str:
    domain = given.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    if not _DOMAIN.match(domain) or domain == here.domain:
        raise AgoraError(Code.invalid_query, f"{domain[:100]} is not an instance domain")
    return domain


async def _put(
    session: AsyncSession, domain: str, kind: str, *, reason: str | None = None, expires: datetime | None = None
) -> None:
    instance = await instance_for(session, domain)
    existing = await session.get(FederationRule, instance.id)
    if existing is not None and existing.kind == kind:
        existing.reason, existing.expires, existing.updated = reason, expires, now()
        return
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    session.add(FederationRule(instance_id=instance.id, kind=kind, published=now(), reason=reason, expires=expires))


async def _lift(session: AsyncSession, domain: str, kind: str) -> None:
    instance = await instance_for(session, domain)
    await session.execute(
        delete(FederationRule).where(FederationRule.instance_id == instance.id, FederationRule.kind == kind)
    )


async def _refuse_mixing(session: AsyncSession, other_kind: str) -> None:
    held = select(func.count()).select_from(FederationRule).where(FederationRule.kind == other_kind)
    if (await session.execute(held)).scalar_one():
        raise AgoraError(Code.cannot_combine_federation_blocklist_and_allowlist)


def _reason(reason: str) -> str | None:
    return limits.check_body(reason.strip(), REASON_MAX) or None


async def set_rule(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    domain: str,
    kind: str,
    *,
    on: bool,
    reason: str,
    expires: int | None = None,
) -> None:
    """Put `domain` on the block list (`kind` BLOCKED; until `expires`, seconds since the epoch, when given) or the
    allow list (ALLOWED: from then on only allowed instances federate), or take it off (`on` false)."""
    require_admin(actor)
    domain = _domain(here, domain)
    if not on:
        await _lift(session, domain, kind)
        return
    await _refuse_mixing(session, ALLOWED if kind == BLOCKED else BLOCKED)
    ends = bans.expiry(expires) if kind == BLOCKED else None
    await _put(session, domain, kind, reason=_reason(reason), expires=ends)
    await session.flush()


async def replace(session: AsyncSession, here: LocalInstance, kind: str, domains: list[str]) -> None:
    """Replace the allow list (`kind` "allowed") or block list ("blocked") with these domains (the caller has
    checked that an admin asks). An instance that stays on the list keeps its reason and end."""
    wanted = list(dict.fromkeys(_domain(here, d) for d in domains[:10_000] if d.strip()))
    current = await session.execute(
        select(Instance.domain, FederationRule)
        .join(Instance, Instance.id == FederationRule.instance_id)
        .where(FederationRule.kind == kind)
    )
    held = set()
    for domain, rule in current.all():
        if domain in wanted:
            held.add(domain)
        else:
            await session.delete(rule)
    await session.flush()
    for domain in wanted:
        if domain not in held:
            await _put(session, domain, kind)
    await session.flush()
