"""The OAuth login providers as GET /site lists them: every field but the client secret, by id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import OAuthProvider

_SHOWN = [c for c in OAuthProvider.__table__.c if c.name != "client_secret"]


async def listed(session: AsyncSession, *, enabled_only: bool) -> list[dict[str, Any]]:
    """The providers (only the enabled ones, which anyone may use, when `enabled_only`), oldest first."""
    query = select(*_SHOWN).order_by(OAuthProvider.id)
    if enabled_only:
        query = query.where(OAuthProvider.enabled.is_(True))
    return [dict(row._mapping) for row in await session.execute(query)]


def shown(provider: OAuthProvider) -> dict[str, Any]:
    """One provider as an admin's answer shows it: its fields but the client secret."""
    return {c.name: getattr(provider, c.key) for c in _SHOWN}
