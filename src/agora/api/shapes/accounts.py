"""Account requests and answers Lemmy 1.0 kept from 0.19, and what both faces' settings backups hold."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agora.api.shapes.base import Form, Id, Shape

URLS: Any = Field(default_factory=list, max_length=1000)


class LoginResponse(Shape):
    jwt: str | None = None
    registration_created: bool
    verify_email_sent: bool


class BlockPerson(Form):
    person_id: Id
    block: bool


class SettingsBackupFields(Form):
    """Lemmy's UserSettingsBackup as both faces take it; each adds its lists of blocked instances."""

    display_name: str | None = Field(None, max_length=255)
    bio: str | None = Field(None, max_length=20_000)
    avatar: str | None = Field(None, max_length=2000)
    banner: str | None = Field(None, max_length=2000)
    matrix_id: str | None = Field(None, max_length=255)
    bot_account: bool | None = None
    settings: dict[str, Any] | None = Field(None, description="a LocalUser; its portable settings are applied")
    followed_communities: list[str] = URLS
    saved_posts: list[str] = URLS
    saved_comments: list[str] = URLS
    blocked_communities: list[str] = URLS
    blocked_users: list[str] = URLS
