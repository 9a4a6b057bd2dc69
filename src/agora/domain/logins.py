"""Login tokens: HS256 JWTs as Lemmy 0.19 issues them, valid only while their row exists."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import NamedTuple

import jwt
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.core.tokens import token_hash
from agora.db.models import LocalUser, LoginToken, ModlogEntry, Person
from agora.domain import applications, passwords, totp
from agora.domain.modlog import Kind
from agora.errors import AgoraError, Code


class Checked(NamedTuple):
    """Who proved who they are; `new_hash` replaces their stored hash (an imported bcrypt one) when set."""

    local_user_id: int
    new_hash: str | None = None


async def issue_token(
    session: AsyncSession,
    here: LocalInstance,
    local_user_id: int,
    *,
    ip: str | None,
    user_agent: str | None,
    new_hash: str | None = None,
) -> str:
    """A new session's token; `new_hash` (from `check_credentials`) is stored in the same transaction."""
    now = datetime.now(UTC)
    if new_hash is not None:
        await session.execute(
            update(LocalUser).where(LocalUser.id == local_user_id).values(password_encrypted=new_hash)
        )
    # jti makes two logins in the same second distinct tokens, so revoking one leaves the other.
    claims = {"sub": str(local_user_id), "iss": here.domain, "iat": int(now.timestamp()), "jti": secrets.token_hex(8)}
    token = jwt.encode(claims, here.jwt_secret, algorithm="HS256")
    session.add(
        LoginToken(
            token_hash=token_hash(token),
            user_id=local_user_id,
            published=now,
            ip=(ip or None) and ip[:64],
            user_agent=(user_agent or None) and user_agent[:512],
        )
    )
    await session.flush()
    return token


async def revoke_token(session: AsyncSession, token: str) -> None:
    await session.execute(delete(LoginToken).where(LoginToken.token_hash == token_hash(token)))


async def revoke_all(session: AsyncSession, local_user_id: int) -> None:
    await session.execute(delete(LoginToken).where(LoginToken.user_id == local_user_id))


async def check_credentials(
    session: AsyncSession,
    here: LocalInstance,
    *,
    username_or_email: str,
    password: str,
    totp_token: str | None,
    require_email_verification: bool,
) -> Checked:
    """Check credentials and account state (Lemmy's order of refusals); answers the local_user id to issue a token
    for, and an argon2 hash to replace an imported bcrypt one with (hashed here, outside any transaction).
    It only reads, on a read session: a write transaction would be held (on SQLite, every writer of the
    instance held up) for as long as the password hash takes, ~0.1 s by default."""
    key = username_or_email.strip().lower()
    query = (
        select(LocalUser, Person)
        .join(Person, Person.id == LocalUser.person_id)
        .where(Person.instance_id == here.instance_id)
    )
    if "@" in key:
        query = query.where(LocalUser.email.is_not(None)).where(func.lower(LocalUser.email) == key)
    else:
        query = query.where(func.lower(Person.name) == key)
    row = (await session.execute(query)).first()
    # Nothing here writes: end the read before the hash, so no connection is held while it runs (the rows stay
    # loaded once detached).
    session.expunge_all()
    await session.rollback()
    if row is None:
        # Spend the same time as a real check so names cannot be probed by timing.
        await passwords.spend_verify_time(password)
        raise AgoraError(Code.incorrect_login)
    local_user, person = row
    if not await passwords.verify_password(local_user.password_encrypted, password):
        raise AgoraError(Code.incorrect_login)
    await check_account(session, local_user, person, require_email_verification=require_email_verification)
    if local_user.totp_2fa_enabled and local_user.totp_2fa_secret:
        if not totp_token:
            raise AgoraError(Code.missing_totp_token)
        if not totp.verify(local_user.totp_2fa_secret, totp_token):
            raise AgoraError(Code.incorrect_totp_token)
    if passwords.needs_rehash(local_user.password_encrypted):
        return Checked(local_user.id, await passwords.hash_password(password))
    return Checked(local_user.id)


async def check_account(
    session: AsyncSession, local_user: LocalUser, person: Person, *, require_email_verification: bool
) -> None:
    """Whether this account may open a session, however it proved who it is: not deleted, not banned, not waiting."""
    if person.deleted:
        raise AgoraError(Code.deleted)
    if person.banned and (person.ban_expires is None or person.ban_expires > datetime.now(UTC)):
        raise AgoraError(Code.site_ban, await _ban_terms(session, person))
    await check_may_log_in(session, local_user, require_email_verification=require_email_verification)


async def check_may_log_in(session: AsyncSession, local_user: LocalUser, *, require_email_verification: bool) -> None:
    """Refuse accounts still waiting on email verification or a registration application."""
    if require_email_verification and not local_user.email_verified and not local_user.admin:
        raise AgoraError(Code.email_not_verified)
    if not local_user.accepted_application and not local_user.admin:
        await applications.check_not_pending(session, local_user.id)


async def _ban_terms(session: AsyncSession, person: Person) -> str:
    """Until when and why a person is banned from the site, as the admin's modlog entry gave it."""
    reason = (
        await session.execute(
            select(ModlogEntry.reason)
            .where(
                ModlogEntry.kind == Kind.ban.value, ModlogEntry.other_person_id == person.id, ModlogEntry.flag.is_(True)
            )
            .order_by(ModlogEntry.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    until = f"until {person.ban_expires:%Y-%m-%d %H:%M} UTC" if person.ban_expires else "for good"
    return f"banned {until}" + (f"; the reason: {reason}" if reason else "")
