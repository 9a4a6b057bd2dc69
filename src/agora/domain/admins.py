"""Administrators: created from the command line, added and removed by other admins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.config import Settings
from agora.db.engine import open_admin_engine, transaction
from agora.db.models import LocalUser, Person
from agora.domain import accounts, logins, passwords, site_settings
from agora.domain.instance import bootstrap
from agora.domain.modlog import Kind, write
from agora.domain.permissions import Acting, get_person, require_admin
from agora.errors import AgoraError, Code


async def create_admin(settings: Settings, *, name: str, password: str, email: str | None) -> int:
    """A local admin account, accepted and verified; answers its person id."""
    password_hash = await _hash(settings, password)
    engine = open_admin_engine(settings)
    try:
        async with transaction(engine) as session:
            here = await bootstrap(session, settings)
            person, _user = await accounts.create_local_account(
                session,
                here,
                name=name,
                password_hash=password_hash,
                email=email,
                admin=True,
                accepted=True,
                email_verified=True,
            )
            # An instance with an admin is set up (Lemmy marks it so when it makes its admin from configuration):
            # lemmy-ui stops sending every page to /setup, and the next person to register is a member.
            await site_settings.mark_set_up(session, here)
            return person.id
    finally:
        await engine.dispose()


async def set_admin(session: AsyncSession, actor: Acting, person_id: int, added: bool) -> None:
    """Admins make a local member an admin, or take it back; the last admin cannot be removed."""
    require_admin(actor)
    await get_person(session, person_id)
    user = (await session.execute(select(LocalUser).where(LocalUser.person_id == person_id))).scalar_one_or_none()
    if user is None:
        raise AgoraError(Code.couldnt_find_local_user, "only local members can be admins")
    if not added and user.admin:
        await _keep_one_admin(session)
    user.admin = added
    await session.flush()
    await write(session, Kind.add, actor.person_id, flag=not added, other_person_id=person_id)


async def admin_names(settings: Settings) -> list[str]:
    """The local administrators' names, for the command line (`agora admin list`, the first-run hint)."""
    engine = open_admin_engine(settings)
    try:
        async with engine.connect() as connection:
            query = (
                select(Person.name)
                .join(LocalUser, LocalUser.person_id == Person.id)
                .where(LocalUser.admin.is_(True))
                .order_by(Person.name)
            )
            return list((await connection.execute(query)).scalars())
    finally:
        await engine.dispose()


async def _local_user_named(session: AsyncSession, name: str) -> LocalUser:
    query = (
        select(LocalUser)
        .join(Person, Person.id == LocalUser.person_id)
        .where(func.lower(Person.name) == name.strip().lower(), Person.local.is_(True))
    )
    user = (await session.execute(query)).scalar_one_or_none()
    if user is None:
        raise AgoraError(Code.couldnt_find_person, f"no local account is called {name}")
    return user


async def reset_password(settings: Settings, *, name: str, password: str) -> None:
    """An operator sets a member's password (who lost theirs and has no email); every session of theirs ends."""
    password_hash = await _hash(settings, password)
    async with _command_session(settings) as session:
        user = await _local_user_named(session, name)
        user.password_encrypted = password_hash
        await logins.revoke_all(session, user.id)


async def set_admin_by_name(settings: Settings, *, name: str, added: bool) -> None:
    """From the command line: make a local member an admin or take it back (the last admin stays)."""
    async with _command_session(settings) as session:
        user = await _local_user_named(session, name)
        if not added and user.admin:
            await _keep_one_admin(session)
        user.admin = added
        await write(session, Kind.add, None, flag=not added, other_person_id=user.person_id)


async def _keep_one_admin(session: AsyncSession) -> None:
    admins = (await session.execute(select(func.count()).where(LocalUser.admin.is_(True)))).scalar_one()
    if admins <= 1:
        raise AgoraError(Code.cannot_leave_admin, "the last admin cannot be removed")


async def _hash(settings: Settings, password: str) -> str:
    """Check and hash a password with the instance's argon2 settings (before any transaction begins)."""
    passwords.configure(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    return await accounts.hash_new_password(password, password)


@asynccontextmanager
async def _command_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """One transaction on an engine of its own, for a command-line step."""
    engine = open_admin_engine(settings)
    try:
        async with transaction(engine) as session:
            yield session
    finally:
        await engine.dispose()
