"""/user/export_settings and /user/import_settings: a member's settings, follows, saves and blocks as one object."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v3.shapes.backups import ImportSettingsResponse, SettingsBackup
from agora.deps import Here, Member, ReadDb, WriteDb, rate_limited
from agora.domain import settings_backups, user_settings
from agora.queries import settings_backups as backup_queries
from agora.responses import json_response

router = APIRouter(tags=["user"])
IMPORT = rate_limited("import_user_settings")


@router.get("/user/export_settings", response_model=SettingsBackup, dependencies=[IMPORT])
async def export_settings(member: Member, db: ReadDb) -> Response:
    backup = await backup_queries.export(db, member.person_id, member.local_user_id, user_settings.PORTABLE_SETTINGS)
    return json_response(backup)


@router.post("/user/import_settings", response_model=ImportSettingsResponse, dependencies=[IMPORT])
async def import_settings(form: SettingsBackup, member: Member, db: WriteDb, here: Here) -> Response:
    result = await settings_backups.restore(db, here, member, form.model_dump(exclude_none=True))
    return json_response({"success": True, "imported": result.applied, "skipped": result.skipped})
