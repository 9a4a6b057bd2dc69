"""The local site's settings: read for every rule that depends on them, edited by admins."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import LocalSite, LocalSiteRateLimit, Site


async def local_site(session: AsyncSession, here: LocalInstance) -> LocalSite:
    """This server's settings row, from the session's identity map when the request already read it."""
    found = await session.get(LocalSite, here.local_site_id)
    if found is None:
        raise NoResultFound(f"no local_site row {here.local_site_id}")
    return found


async def site(session: AsyncSession, here: LocalInstance) -> Site:
    return (await session.execute(select(Site).where(Site.id == here.site_id))).scalar_one()


async def rate_limits(session: AsyncSession, here: LocalInstance) -> LocalSiteRateLimit:
    query = select(LocalSiteRateLimit).where(LocalSiteRateLimit.local_site_id == here.local_site_id)
    return (await session.execute(query)).scalar_one()
