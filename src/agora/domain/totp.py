"""Two-factor login with TOTP: generate a secret, confirm it with a code to enable, a code to disable."""

from __future__ import annotations

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from agora.domain.permissions import get_local_user
from agora.errors import AgoraError, Code


async def generate(session: AsyncSession, local_user_id: int, *, account_name: str, issuer: str) -> str:
    """A new secret (not yet enabled); answers the otpauth:// URL an authenticator app scans."""
    user = await get_local_user(session, local_user_id)
    if user.totp_2fa_enabled:
        raise AgoraError(Code.totp_already_enabled)
    user.totp_2fa_secret = pyotp.random_base32()
    return pyotp.TOTP(user.totp_2fa_secret).provisioning_uri(name=account_name, issuer_name=issuer)


async def update(session: AsyncSession, local_user_id: int, token: str, enabled: bool) -> bool:
    user = await get_local_user(session, local_user_id)
    if not user.totp_2fa_secret:
        raise AgoraError(Code.missing_totp_secret)
    if not verify(user.totp_2fa_secret, token):
        raise AgoraError(Code.incorrect_totp_token)
    user.totp_2fa_enabled = enabled
    if not enabled:
        user.totp_2fa_secret = None
    return enabled


def verify(secret: str, token: str | None) -> bool:
    return token is not None and bool(token) and pyotp.TOTP(secret).verify(token.strip(), valid_window=1)
