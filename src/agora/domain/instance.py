"""This instance's first-start bootstrap (site rows, JWT secret), and the check that it keeps its hostname."""

from __future__ import annotations

import secrets

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.config import Settings
from agora.core.instance import LocalInstance
from agora.db.engine import open_admin_engine, transaction
from agora.db.models import Instance, LocalSite, LocalSiteRateLimit, Secret, Site


class HostnameMismatch(ValueError):
    """AGORA_HOSTNAME is not the hostname the database was created with."""


async def bootstrap(session: AsyncSession, settings: Settings) -> LocalInstance:
    """Create the local instance, site, settings and secret on first start; read them afterwards.

    Safe to run from several processes at once: the unique constraints decide, the loser re-reads.
    """
    instance = (await session.execute(select(Instance).where(Instance.domain == settings.domain))).scalar_one_or_none()
    local = select(Instance.domain).join(Site, Site.instance_id == Instance.id)
    owner = (await session.execute(local.join(LocalSite, LocalSite.site_id == Site.id))).scalars().first()
    if owner is not None and owner != settings.domain:
        # Every object's ActivityPub id carries the hostname, so it can never change once content exists.
        raise HostnameMismatch(
            f"this database belongs to {owner}; set AGORA_HOSTNAME={owner} (an instance's hostname cannot change)"
        )
    if instance is None:
        instance = Instance(domain=settings.domain, software="agora")
        session.add(instance)
        await session.flush()
    site = (await session.execute(select(Site).where(Site.instance_id == instance.id))).scalar_one_or_none()
    if site is None:
        site = Site(
            name="Agora",
            actor_id=f"{settings.base_url}/",
            inbox_url=f"{settings.base_url}/inbox",
            instance_id=instance.id,
        )
        session.add(site)
        await session.flush()
    local_site = (await session.execute(select(LocalSite).where(LocalSite.site_id == site.id))).scalar_one_or_none()
    if local_site is None:
        local_site = LocalSite(site_id=site.id)
        session.add(local_site)
        await session.flush()
        session.add(LocalSiteRateLimit(local_site_id=local_site.id))
    secret = (await session.execute(select(Secret).order_by(Secret.id).limit(1))).scalar_one_or_none()
    if secret is None:
        secret = Secret(jwt_secret=secrets.token_urlsafe(48))
        session.add(secret)
        await session.flush()
    return LocalInstance(
        base_url=settings.base_url,
        domain=settings.domain,
        instance_id=instance.id,
        site_id=site.id,
        local_site_id=local_site.id,
        jwt_secret=secret.jwt_secret,
    )


async def prepare(settings: Settings) -> None:
    """Bootstrap from the command line before serving, so a wrong AGORA_HOSTNAME is reported, not a traceback."""
    engine = open_admin_engine(settings)
    try:
        async with transaction(engine) as session:
            await bootstrap(session, settings)
    finally:
        await engine.dispose()


async def recorded_hostname(settings: Settings) -> str | None:
    """The hostname the database was first started with; None for a new database (nothing is created)."""
    from agora.db.migrate import sqlite_path

    if settings.is_sqlite:
        path = sqlite_path(settings.database_url)
        if path is not None and not path.exists():
            return None
    engine = open_admin_engine(settings)
    try:
        async with engine.connect() as connection:
            if not await connection.run_sync(lambda sync: inspect(sync).has_table("local_site")):
                return None
            local = select(Instance.domain).join(Site, Site.instance_id == Instance.id)
            return (await connection.execute(local.join(LocalSite, LocalSite.site_id == Site.id))).scalars().first()
    finally:
        await engine.dispose()
