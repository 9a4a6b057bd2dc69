"""The settings backup of export_settings / import_settings (untyped in lemmy-js-client; Lemmy's UserSettingsBackup)."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.accounts import URLS, SettingsBackupFields
from agora.api.v3.shapes.base import Shape


class SettingsBackup(SettingsBackupFields):
    blocked_instances: list[str] = URLS


class ImportSettingsResponse(Shape):
    success: bool
    imported: int = Field(description="Agora: follows, saves and blocks applied")
    skipped: list[str] = Field(description="Agora: ids not known here or refused (a ban, an admin, a deleted object)")
