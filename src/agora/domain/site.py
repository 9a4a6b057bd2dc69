"""The local site's settings: read for every rule that depends on them, edited by admins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.cached import site_settings
from agora.db.models import LocalSite, LocalSiteRateLimit, Site


async def local_site(session: AsyncSession, here: LocalInstance) -> LocalSite:
    """This server's settings row, from the session's identity map when the request already read it."""
    found = await session.get(LocalSite, here.local_site_id)
    if found is None:
        raise NoResultFound(f"no local_site row {here.local_site_id}")
    return found


async def setting(session: AsyncSession, here: LocalInstance, name: str) -> Any:
    """One of this server's settings (a local_site column): as the session holds the row when it has read it (the
    transaction may have changed it), else from the process's cache when the session reaches it."""
    held = session.identity_map.get(session.identity_key(LocalSite, here.local_site_id))
    cached = await site_settings(session) if held is None else None
    if cached is not None:
        return cached[name]
    return getattr(await local_site(session, here), name)


async def site(session: AsyncSession, here: LocalInstance) -> Site:
    return (await session.execute(select(Site).where(Site.id == here.site_id))).scalar_one()


async def rate_limits(session: AsyncSession, here: LocalInstance) -> LocalSiteRateLimit:
    query = select(LocalSiteRateLimit).where(LocalSiteRateLimit.local_site_id == here.local_site_id)
    return (await session.execute(query)).scalar_one()
