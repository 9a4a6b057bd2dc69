"""/account/*: registration, login, logout, settings, blocks, unread counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from agora.api import lookups, sign_in
from agora.api.shared_routes import per_face
from agora.api.v4.shapes import accounts as shapes
from agora.api.v4.shapes.base import SuccessResponse
from agora.api.v4.shapes.enums import listing_type, post_sort
from agora.api.v4.shapes.views import community_view_json, person_view_json
from agora.deps import (
    MESSAGE,
    Here,
    Member,
    ReadDb,
    SiteSettings,
    State,
    WriteDb,
    rate_limited,
)
from agora.domain import blocks, settings_backups, user_settings
from agora.queries import communities as community_queries
from agora.queries import community_tags as tag_queries
from agora.queries import inbox as inbox_queries
from agora.queries import pending_follows as pending_follow_queries
from agora.queries import reports as report_queries
from agora.queries import settings_backups as backup_queries
from agora.queries import subscribed_notifications
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: account"])
# 1.0's setting names that differ from 0.19's, which Agora's rule takes
_SETTING_NAMES = {
    "default_post_sort_type": "default_sort_type",
    "animated_images_enabled": "enable_animated_images",
    "show_score": "show_scores",
}


@router.post("/account/auth/register", response_model=shapes.LoginResponse, dependencies=[rate_limited("register")])
async def register(form: shapes.Register, request: Request, db: WriteDb, here: Here, site: SiteSettings) -> Response:
    return await sign_in.register(form, request, db, here, site)


@router.post("/account/auth/login", response_model=shapes.LoginResponse, dependencies=[rate_limited("register")])
async def login(form: shapes.Login, request: Request, db: ReadDb, state: State, site: SiteSettings) -> Response:
    return await sign_in.log_in(form, request, db, state, site)


router.include_router(
    per_face.session_router(logout_path="/account/auth/logout", validate_path="/account/validate_auth")
)


@router.put("/account/settings/save", response_model=SuccessResponse, dependencies=[MESSAGE])
async def save_user_settings(form: shapes.SaveUserSettings, member: Member, db: WriteDb) -> Response:
    changes = form.model_dump(exclude_unset=True)  # a null, as in v3, leaves the setting as it is
    if changes.get("default_listing_type") is not None:
        changes["default_listing_type"] = listing_type(changes["default_listing_type"])
    if changes.get("default_post_sort_type") is not None:
        changes["default_post_sort_type"] = post_sort(changes["default_post_sort_type"], None)
    changes.pop("default_comment_sort_type", None)  # not a setting Agora keeps yet: comments sort hot
    if changes.get("post_listing_mode") is not None:
        changes["post_listing_mode"] = changes["post_listing_mode"].title().replace("_", "")
    await user_settings.save(db, member, {_SETTING_NAMES.get(k, k): v for k, v in changes.items()})
    return json_response(SUCCESS)


@router.get("/account/unread_counts", response_model=shapes.UnreadCountsResponse, dependencies=[MESSAGE])
async def unread_counts(member: Member, db: ReadDb) -> Response:
    counts = await inbox_queries.unread_counts(db, member)
    subscribed = await subscribed_notifications.unread_count(db, member)
    body = {"notification_count": sum(counts.values()) + subscribed}
    reports = await report_queries.counts(db, member, None)
    body["report_count"] = sum(reports.values())
    body["pending_follow_count"] = await pending_follow_queries.count(db, member)
    return json_response(body)


@router.post("/account/block/person", dependencies=[MESSAGE])
async def block_person(form: shapes.BlockPerson, member: Member, db: WriteDb) -> Response:
    await blocks.block_person(db, member, form.person_id, form.block)
    view = await lookups.person(db, form.person_id)
    return json_response({"person_view": person_view_json(view)})


@router.post("/account/block/community", dependencies=[MESSAGE])
async def block_community(form: shapes.BlockCommunity, member: Member, db: WriteDb) -> Response:
    await blocks.block_community(db, member, form.community_id, form.block)
    view = await lookups.community(db, member, form.community_id)
    await tag_queries.attach_to_communities(db, [view])
    discussion_languages = await community_queries.language_ids(db, form.community_id)
    return json_response({"community_view": community_view_json(view), "discussion_languages": discussion_languages})


# 1.0 splits 0.19's blocked instances in two: their communities (0.19's instance block) and their persons.
IMPORT = rate_limited("import_user_settings")


@router.get("/account/settings/export", dependencies=[IMPORT])
async def export_settings(member: Member, db: ReadDb) -> Response:
    backup = await backup_queries.export(db, member.person_id, member.local_user_id, user_settings.PORTABLE_SETTINGS)
    backup["blocked_instances_communities"] = backup.pop("blocked_instances", [])
    backup["blocked_instances_persons"] = await backup_queries.blocked_instance_persons(db, member.person_id)
    backup.setdefault("blocking_keywords", [])
    backup.setdefault("discussion_languages", [])
    return json_response(backup)


@router.post("/account/settings/import", response_model=SuccessResponse, dependencies=[IMPORT])
async def import_settings(form: shapes.UserSettingsBackup, member: Member, db: WriteDb, here: Here) -> Response:
    backup = form.model_dump(exclude_none=True)
    backup["blocked_instances"] = backup.pop("blocked_instances_communities", [])
    await settings_backups.restore(db, here, member, backup)
    return json_response(SUCCESS)
