"""Admin routes: site bans, admins, registration applications (purges are api.shared_routes')."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api import lookups, pictrs
from agora.api.v3.moderation import ban_response
from agora.api.v3.paging import paging
from agora.api.v3.shapes import moderation as shapes
from agora.api.v3.shapes.base import pick
from agora.api.v3.shapes.objects import person_json
from agora.api.v3.shapes.site import LOCAL_USER_FIELDS, GetSiteResponse, get_site_json
from agora.api.v3.shapes.views import person_view_json
from agora.deps import MESSAGE, Admin, Here, ReadDb, State, WriteDb
from agora.domain import admins, applications, bans
from agora.queries import applications as application_queries
from agora.queries import persons as person_queries
from agora.queries import site as site_queries
from agora.queries.applications import ApplicationItem
from agora.responses import json_response

router = APIRouter(tags=["admin"])


@router.post("/user/ban", response_model=shapes.BanResponse, dependencies=[MESSAGE])
async def ban_person(form: shapes.BanPerson, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await bans.ban_from_site(db, here, admin, form.person_id, **form.terms())
    if form.ban and form.remove_data:  # their uploads go with their data, as Lemmy's
        await pictrs.release_uploads_of(db, state, form.person_id)
    return await ban_response(db, form.person_id, form.ban)


@router.get("/user/banned", response_model=shapes.BannedPersonsResponse)
async def banned_persons(admin: Admin, db: ReadDb) -> Response:
    return json_response({"banned": [person_view_json(v) for v in await person_queries.banned(db)]})


@router.post("/admin/add", response_model=shapes.AddAdminResponse, dependencies=[MESSAGE])
async def add_admin(form: shapes.AddAdmin, admin: Admin, db: WriteDb, state: State) -> Response:
    await admins.set_admin(db, admin, form.person_id, form.added)
    return json_response({"admins": [person_view_json(v) for v in await person_queries.admins(db)]})


def _application_json(view: ApplicationItem) -> dict[str, Any]:
    user = pick(view.local_user, LOCAL_USER_FIELDS)
    user["totp_2fa_enabled"] = bool(view.local_user.get("totp_2fa_secret"))
    out = {
        "registration_application": pick(
            view.application, ("id", "local_user_id", "answer", "admin_id", "deny_reason", "published")
        ),
        "creator_local_user": user,
        "creator": person_json(view.creator),
    }
    if view.admin is not None:
        out["admin"] = person_json(view.admin)
    return out


@router.get("/admin/registration_application/list", response_model=shapes.ListRegistrationApplicationsResponse)
async def list_applications(
    params: Annotated[shapes.ListRegistrationApplications, Query()], admin: Admin, db: ReadDb
) -> Response:
    page, limit = paging(params.page, params.limit)
    views = await application_queries.list_views(db, unread_only=bool(params.unread_only), page=page, limit=limit)
    return json_response({"registration_applications": [_application_json(v) for v in views]})


@router.get(
    "/admin/registration_application/count", response_model=shapes.GetUnreadRegistrationApplicationCountResponse
)
async def count_applications(admin: Admin, db: ReadDb) -> Response:
    return json_response({"registration_applications": await application_queries.unread_count(db)})


@router.put("/admin/registration_application/approve", response_model=shapes.RegistrationApplicationResponse)
async def approve_application(
    form: shapes.ApproveRegistrationApplication, admin: Admin, db: WriteDb, here: Here
) -> Response:
    await applications.decide(db, here, admin, form.id, approve=form.approve, deny_reason=form.deny_reason)
    view = await lookups.application(db, application_id=form.id)
    return json_response({"registration_application": _application_json(view)})


@router.get("/admin/registration_application", response_model=shapes.RegistrationApplicationResponse)
async def get_application(
    params: Annotated[shapes.GetRegistrationApplication, Query()], admin: Admin, db: ReadDb
) -> Response:
    view = await lookups.application(db, person_id=params.person_id)
    return json_response({"registration_application": _application_json(view)})


@router.post("/user/leave_admin", response_model=GetSiteResponse, dependencies=[MESSAGE])
async def leave_admin(admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await admins.set_admin(db, admin, admin.person_id, False)
    info = await site_queries.site_info(db, here)
    return json_response(get_site_json(info, await site_queries.my_user(db, admin)))
