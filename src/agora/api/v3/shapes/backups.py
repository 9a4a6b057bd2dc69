"""The settings backup of export_settings / import_settings (untyped in lemmy-js-client; Lemmy's UserSettingsBackup)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agora.api.v3.shapes.base import Form, Shape

_URLS: list[str] = Field(default_factory=list, max_length=1000)


class SettingsBackup(Form):
    display_name: str | None = Field(None, max_length=255)
    bio: str | None = Field(None, max_length=20_000)
    avatar: str | None = Field(None, max_length=2000)
    banner: str | None = Field(None, max_length=2000)
    matrix_id: str | None = Field(None, max_length=255)
    bot_account: bool | None = None
    settings: dict[str, Any] | None = Field(None, description="a LocalUser; its portable settings are applied")
    followed_communities: list[str] = _URLS
    saved_posts: list[str] = _URLS
    saved_comments: list[str] = _URLS
    blocked_communities: list[str] = _URLS
    blocked_users: list[str] = _URLS
    blocked_instances: list[str] = _URLS


class ImportSettingsResponse(Shape):
    success: bool
    imported: int = Field(description="Agora: follows, saves and blocks applied")
    skipped: list[str] = Field(description="Agora: ids not known here or refused (a ban, an admin, a deleted object)")
