"""Lemmy 1.0's OAuth provider types: `PublicOAuthProvider` (what a login page needs) and `AdminOAuthProvider`
(every field but the client secret, which is never sent)."""

from __future__ import annotations

from typing import Any

from agora.api.v4.shapes.base import Shape, present

_PUBLIC = tuple(
    (name, name) for name in ("id", "display_name", "authorization_endpoint", "client_id", "scopes", "use_pkce")
)
_ADMIN_ONLY: tuple[str, ...] = ("issuer", "token_endpoint", "userinfo_endpoint", "id_claim", "auto_verify_email")
_ADMIN_ONLY += ("account_linking_enabled", "enabled")
_ADMIN = (*_PUBLIC, *((name, name) for name in _ADMIN_ONLY))
_ADMIN += (("published_at", "published"), ("updated_at", "updated"))


class PublicOAuthProvider(Shape):
    id: int
    display_name: str
    authorization_endpoint: str
    client_id: str
    scopes: str
    use_pkce: bool


class AdminOAuthProvider(PublicOAuthProvider):
    issuer: str
    token_endpoint: str
    userinfo_endpoint: str
    id_claim: str
    auto_verify_email: bool
    account_linking_enabled: bool
    enabled: bool
    published_at: str
    updated_at: str | None = None


def public_provider_json(row: dict[str, Any]) -> dict[str, Any]:
    return present(row, _PUBLIC)


def admin_provider_json(row: dict[str, Any]) -> dict[str, Any]:
    return present(row, _ADMIN)
