"""Administrators: created from the command line, added and removed by other admins."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker

from agora.config import Settings
from agora.db.engine import open_admin_engine
from agora.domain import accounts, passwords
from agora.domain.instance import bootstrap


async def create_admin(settings: Settings, *, name: str, password: str, email: str | None) -> int:
    """A local admin account, accepted and verified; answers its person id."""
    passwords.configure(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    engine = open_admin_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
            here = await bootstrap(session, settings)
            person, _user = await accounts.create_local_account(
                session,
                here,
                name=name,
                password=password,
                email=email,
                admin=True,
                accepted=True,
                email_verified=True,
            )
            return person.id
    finally:
        await engine.dispose()
