"""Registration invitations (Lemmy 1.0): a member makes an invitation whose token lets someone register while the
site's registration mode is RequireInvitation, as many times as it allows and until it expires; revoking it
ends it. Each registration takes one use in the registration's own transaction."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import LocalUserInvite
from agora.domain.permissions import LocalActing
from agora.errors import AgoraError, Code


async def create(
    session: AsyncSession, actor: LocalActing, *, max_uses: int | None, expires: datetime | None
) -> LocalUserInvite:
    if max_uses is not None and max_uses < 1:
        raise AgoraError(Code.invalid_body_field, "max_uses must be at least 1")
    if expires is not None and expires <= now():
        raise AgoraError(Code.invalid_body_field, "expires_at must be in the future")
    invite = LocalUserInvite(
        token=secrets.token_urlsafe(24),
        local_user_id=actor.local_user_id,
        max_uses=max_uses,
        uses_count=0,
        expires=expires,
        published=now(),
    )
    session.add(invite)
    await session.flush()
    return invite


async def revoke(session: AsyncSession, actor: LocalActing, token: str) -> None:
    """Only its maker revokes an invitation; any other token is refused alike."""
    mine = LocalUserInvite.token == token, LocalUserInvite.local_user_id == actor.local_user_id
    if (await session.execute(delete(LocalUserInvite).where(*mine))).rowcount != 1:  # type: ignore[attr-defined]
        raise AgoraError(Code.invalid_invite_token)


async def use(session: AsyncSession, token: str | None) -> None:
    """Take one use of the invitation: refused when there is no token, or it is unknown, used up or expired. One
    guarded UPDATE, so two registrations cannot both take an invitation's last use."""
    if not token:
        raise AgoraError(Code.missing_invite_token)
    table = LocalUserInvite
    statement = (
        update(table)
        .where(
            table.token == token,
            or_(table.max_uses.is_(None), table.uses_count < table.max_uses),
            or_(table.expires.is_(None), table.expires > now()),
        )
        .values(uses_count=table.uses_count + 1)
    )
    if (await session.execute(statement)).rowcount != 1:  # type: ignore[attr-defined]
        raise AgoraError(Code.invalid_invite_token)
