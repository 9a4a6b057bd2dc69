"""The parts every built activity shares: its rows, its envelope in Lemmy's shape, its Undo."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.federation.activities import new_id
from agora.federation.objects import PUBLIC, addressed, private
from agora.queries import rows as row_queries


async def rows(session: AsyncSession, **wanted: int | None) -> dict:
    """rows(session, post=3, community=1) → {"post": {...}, "community": {...}}."""
    return {kind: await row_queries.one(session, kind, row_id) for kind, row_id in wanted.items() if row_id}


def envelope(
    here: LocalInstance,
    kind: str,
    actor: str,
    obj: str | dict[str, Any],
    *,
    community: dict | None = None,
    to: list[str] | None = None,
    cc: list[str] | None = None,
    **extra: Any,
) -> dict:
    """An activity as Lemmy writes it: public (a Private community's: to it and its followers), cc the community,
    its audience the community."""
    if to is None:
        to = addressed(community) if community is not None and private(community) else [PUBLIC]
    activity = {
        "actor": actor,
        "to": to,
        "object": obj,
        "cc": cc if cc is not None else ([community["actor_id"]] if community else []),
        "type": kind,
        "id": new_id(here.base_url, kind),
    }
    if community is not None:
        activity["audience"] = community["actor_id"]
    activity.update({k: v for k, v in extra.items() if v is not None})
    return activity


def undo(here: LocalInstance, actor: str, inner: dict, community: dict | None = None) -> dict:
    return envelope(here, "Undo", actor, inner, community=community, to=inner.get("to"), cc=inner.get("cc"))
