"""Admins add, edit and remove OAuth 2.0 / OIDC login providers (Lemmy 1.0's external auth methods).

A provider's endpoints are absolute http(s) URLs; its `client_secret` is written here and read only by
`oauth_logins` when it exchanges a code. Removing a provider removes the links members had to it, not the members.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import OAuthProvider
from agora.domain.permissions import Acting, require_admin
from agora.errors import AgoraError, Code

URLS = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint")
TEXTS = ("display_name", "id_claim", "client_id", "client_secret", "scopes")
FLAGS = ("auto_verify_email", "account_linking_enabled", "use_pkce", "enabled")
EDITABLE = frozenset(URLS[1:] + TEXTS[:2] + TEXTS[3:] + FLAGS)  # issuer and client_id name the provider: fixed


def _checked(name: str, value: Any) -> Any:
    """One field as stored: URLs absolute http(s), texts stripped and not empty, flags as given."""
    if name in FLAGS:
        return bool(value)
    text = str(value).strip()
    if not text:
        raise AgoraError(Code.invalid_body_field, f"{name} is empty")
    if name in URLS:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AgoraError(Code.invalid_url, f"{name} is not an http(s) URL")
    return text


async def create(session: AsyncSession, actor: Acting, fields: dict[str, Any]) -> OAuthProvider:
    """A new provider from every URL and text field (flags optional: Lemmy's defaults otherwise)."""
    require_admin(actor)
    values = {name: _checked(name, fields.get(name) or "") for name in URLS + TEXTS}
    values |= {name: _checked(name, fields[name]) for name in FLAGS if fields.get(name) is not None}
    taken = await session.execute(select(OAuthProvider.id).where(OAuthProvider.client_id == values["client_id"]))
    if taken.first() is not None:
        raise AgoraError(Code.invalid_body_field, "a provider with this client_id exists")
    provider = OAuthProvider(**values)
    session.add(provider)
    await session.flush()
    return provider


async def _get(session: AsyncSession, provider_id: int) -> OAuthProvider:
    provider = await session.get(OAuthProvider, provider_id)
    if provider is None:
        raise AgoraError(Code.not_found)
    return provider


async def edit(session: AsyncSession, actor: Acting, provider_id: int, changes: dict[str, Any]) -> OAuthProvider:
    """Fields given (not None) change; the rest stay."""
    require_admin(actor)
    provider = await _get(session, provider_id)
    for name, value in changes.items():
        if name in EDITABLE and value is not None:
            setattr(provider, name, _checked(name, value))
    provider.updated = now()
    await session.flush()
    return provider


async def delete(session: AsyncSession, actor: Acting, provider_id: int) -> None:
    require_admin(actor)
    await session.delete(await _get(session, provider_id))
    await session.flush()
