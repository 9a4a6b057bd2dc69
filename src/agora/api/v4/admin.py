"""Admins' site routes in 1.0's names: the site's setup and edits, leaving the admins, custom emoji, registration
applications (taglines are api.v4.taglines')."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field, create_model
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.background import BackgroundTask
from starlette.responses import Response

from agora.api import lookups
from agora.api.shapes.site import EDITED_BUCKETS, rate_limit_fields
from agora.api.v4 import paging
from agora.api.v4.shapes.base import Form, Id, Limit, present
from agora.api.v4.shapes.enums import CommentSortType, ListingType, PostSortType, listing_type, post_sort
from agora.api.v4.shapes.objects import person_json
from agora.api.v4.shapes.site import get_site_json
from agora.core.instance import LocalInstance
from agora.deps import MESSAGE, Admin, AppState, Here, ReadDb, State, WriteDb
from agora.domain import admins, applications, custom_emojis, site_settings
from agora.queries import applications as application_queries
from agora.queries import site as site_queries
from agora.queries.applications import ApplicationItem
from agora.responses import json_response

router = APIRouter(tags=["v4: admin"])


# 1.0's names: a bucket's `_max_requests`, then its `_interval_seconds`
_RATE_LIMITS = rate_limit_fields(("_max_requests", "_interval_seconds"), most=2**31 - 1)
_RateLimits = create_model("RateLimits", __base__=Form, **_RATE_LIMITS)


class EditSite(_RateLimits):
    name: str | None = Field(None, max_length=1000)
    sidebar: str | None = Field(None, max_length=100_000)
    summary: str | None = Field(None, max_length=10_000)
    community_creation_admin_only: bool | None = None
    email_verification_required: bool | None = None
    application_question: str | None = Field(None, max_length=20_000)
    private_instance: bool | None = None
    default_theme: str | None = Field(None, max_length=64)
    default_post_listing_type: ListingType | None = None
    default_post_sort_type: PostSortType | None = None
    default_comment_sort_type: CommentSortType | None = None
    legal_information: str | None = Field(None, max_length=100_000)
    application_email_admins: bool | None = None
    discussion_languages: list[Id] | None = Field(None, max_length=1000)
    slur_filter_regex: str | None = Field(None, max_length=1000)
    federation_enabled: bool | None = None
    blocked_urls: list[str] | None = Field(None, max_length=1000)
    registration_mode: str | None = Field(None, pattern="^(closed|require_application|require_invitation|open)$")
    reports_email_admins: bool | None = None
    oauth_registration: bool | None = None
    content_warning: str | None = Field(None, max_length=10_000)
    nsfw_content_disallowed: bool | None = None
    suggested_multi_community_id: Id | None = None
    post_downvotes: str | None = Field(None, max_length=32)


class CreateSite(EditSite):
    name: str = Field(max_length=1000)


class CustomEmojiForm(Form):
    category: str = Field(max_length=1000)
    shortcode: str = Field(max_length=128)
    image_url: str = Field(max_length=2000)
    alt_text: str = Field(max_length=1000)
    keywords: list[str] = Field(max_length=100)


class EditCustomEmoji(CustomEmojiForm):
    id: Id


class ListCustomEmojis(Form):
    category: str | None = Field(None, max_length=1000)


class ListRegistrationApplications(Form):
    unread_only: bool | None = None
    page_cursor: str | None = Field(None, max_length=40)
    limit: Limit | None = None


class ApproveRegistrationApplication(Form):
    id: Id
    approve: bool
    deny_reason: str | None = Field(None, max_length=10_000)


class GetRegistrationApplication(Form):
    person_id: Id


def _site_changes(form: EditSite) -> dict[str, Any]:
    """1.0's site fields under the names Agora's rule (0.19's) takes."""
    changes = form.model_dump(exclude_unset=True)
    renamed = {"summary": "description", "email_verification_required": "require_email_verification"}
    out = {renamed.get(k, k): v for k, v in changes.items() if not k.startswith("rate_limit_")}
    for kind in EDITED_BUCKETS:
        if (value := changes.get(f"rate_limit_{kind}_max_requests")) is not None:
            out[f"rate_limit_{kind}"] = value
        if (value := changes.get(f"rate_limit_{kind}_interval_seconds")) is not None:
            out[f"rate_limit_{kind}_per_second"] = value
    if "registration_mode" in out:
        out["registration_mode"] = re.sub(r"(?:^|_)(\w)", lambda m: m.group(1).upper(), out["registration_mode"])
    if "default_post_listing_type" in out:
        out["default_post_listing_type"] = listing_type(out["default_post_listing_type"])
    if "default_post_sort_type" in out:
        out["default_sort_type"] = post_sort(out.pop("default_post_sort_type"), None)
    if "nsfw_content_disallowed" in out:
        out["enable_nsfw"] = not out.pop("nsfw_content_disallowed")
    if "post_downvotes" in out:
        out["enable_downvotes"] = out.pop("post_downvotes") != "disable"
    out.pop("default_comment_sort_type", None)  # not a site setting Agora keeps yet: comments sort hot
    return out


async def _site_response(db: AsyncSession, here: LocalInstance, state: AppState) -> Response:
    info = await site_queries.site_info(db, here)
    instance = {"id": here.instance_id, "domain": here.domain, "published_at": info.site["published"]}
    site = get_site_json(info, instance)
    response = json_response(
        {"site_view": site["site_view"], "taglines": [site["tagline"]] if "tagline" in site else []}
    )
    response.background = BackgroundTask(state.site_cache.invalidate)  # after the commit (see v3's site routes)
    return response


@router.post("/site", dependencies=[MESSAGE])
async def create_site(form: CreateSite, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await site_settings.setup(db, here, admin, _site_changes(form))
    return await _site_response(db, here, state)


@router.put("/site", dependencies=[MESSAGE])
async def edit_site(form: EditSite, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await site_settings.edit(db, here, admin, _site_changes(form))
    return await _site_response(db, here, state)


@router.post("/admin/leave", dependencies=[MESSAGE])
async def leave_admin(admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await admins.set_admin(db, admin, admin.person_id, False)
    state.site_cache.invalidate()
    info = await site_queries.site_info(db, here)
    instance = {"id": here.instance_id, "domain": here.domain, "published_at": info.site["published"]}
    return json_response(get_site_json(info, instance))


def _emoji_json(emoji: dict[str, Any], keywords: list[str]) -> dict[str, Any]:
    fields = (
        ("id", "id"),
        ("shortcode", "shortcode"),
        ("image_url", "image_url"),
        ("alt_text", "alt_text"),
        ("category", "category"),
        ("published_at", "published"),
        ("updated_at", "updated"),
    )
    return {
        "custom_emoji": present(emoji, fields),
        "keywords": [{"custom_emoji_id": emoji["id"], "keyword": k} for k in keywords],
    }


async def _emoji_response(db: AsyncSession, emoji_id: int) -> Response:
    emoji, keywords = (await site_queries.custom_emojis(db, emoji_id))[0]
    return json_response({"custom_emoji": _emoji_json(emoji, keywords)})


@router.get("/custom_emoji/list", dependencies=[MESSAGE])
async def list_custom_emojis(params: Annotated[ListCustomEmojis, Query()], db: ReadDb) -> Response:
    found = await site_queries.custom_emojis(db)
    views = [_emoji_json(e, k) for e, k in found if params.category in (None, e["category"])]
    return json_response({"custom_emojis": views})


@router.post("/custom_emoji", dependencies=[MESSAGE])
async def create_custom_emoji(form: CustomEmojiForm, admin: Admin, db: WriteDb, here: Here) -> Response:
    fields = custom_emojis.EmojiFields(**form.model_dump(exclude={"shortcode"}))
    emoji = await custom_emojis.create(db, here, admin, form.shortcode, fields)
    return await _emoji_response(db, emoji.id)


@router.put("/custom_emoji", dependencies=[MESSAGE])
async def edit_custom_emoji(form: EditCustomEmoji, admin: Admin, db: WriteDb) -> Response:
    fields = custom_emojis.EmojiFields(**form.model_dump(exclude={"id"}))
    emoji = await custom_emojis.edit(db, admin, form.id, fields)
    return await _emoji_response(db, emoji.id)


def _application_json(view: ApplicationItem) -> dict[str, Any]:
    fields = (
        ("id", "id"),
        ("local_user_id", "local_user_id"),
        ("answer", "answer"),
        ("admin_id", "admin_id"),
        ("deny_reason", "deny_reason"),
        ("published_at", "published"),
    )
    user = view.local_user
    out = {
        "registration_application": present(view.application, fields),
        "creator_local_user": present(user, (("id", "id"), ("person_id", "person_id"), ("email", "email"))),
        "creator": person_json(view.creator),
    }
    out["creator_local_user"].update(accepted_application=bool(user.get("accepted_application")))
    if view.admin is not None:
        out["admin"] = person_json(view.admin)
    return out


@router.get("/admin/registration_application/list", dependencies=[MESSAGE])
async def list_applications(
    params: Annotated[ListRegistrationApplications, Query()], admin: Admin, db: ReadDb
) -> Response:
    limit = paging.limit_of(params.limit)
    page = paging.offset_page(params.page_cursor)
    views = await application_queries.list_views(db, unread_only=bool(params.unread_only), page=page, limit=limit)
    return json_response(paging.offset_paged([_application_json(v) for v in views], page, limit))


@router.put("/admin/registration_application/approve", dependencies=[MESSAGE])
async def approve_application(form: ApproveRegistrationApplication, admin: Admin, db: WriteDb, here: Here) -> Response:
    await applications.decide(db, here, admin, form.id, approve=form.approve, deny_reason=form.deny_reason)
    view = await lookups.application(db, application_id=form.id)
    return json_response({"registration_application": _application_json(view)})


@router.get("/admin/registration_application", dependencies=[MESSAGE])
async def get_application(params: Annotated[GetRegistrationApplication, Query()], admin: Admin, db: ReadDb) -> Response:
    view = await lookups.application(db, person_id=params.person_id)
    return json_response({"registration_application": _application_json(view)})
