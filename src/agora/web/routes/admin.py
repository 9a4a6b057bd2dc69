"""Admin pages: site settings, registration applications, banned people; the list of known instances."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from agora.deps import ReadDb, WriteDb, rate_limited
from agora.domain import applications, site_settings
from agora.errors import AgoraError
from agora.queries import applications as application_queries
from agora.queries import instances
from agora.queries import persons as person_queries
from agora.queries import site as site_queries
from agora.web import forms
from agora.web.context import AdminCtx, CheckedForm, Ctx, Id, PageContext
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
MESSAGE = rate_limited("message")
# The site's switches this page shows: all the domain takes but mail to admins and signed fetch.
FLAGS = tuple(
    name
    for name in site_settings.LOCAL_SITE_FLAGS
    if name not in ("application_email_admins", "reports_email_admins", "federation_signed_fetch")
)
TEXTS = ("name", "description", "sidebar", "application_question", "legal_information")


async def _settings_page(
    ctx: PageContext, db: AsyncSession, *, values: dict | None = None, error: str | None = None
) -> Response:
    info = await site_queries.site_info(db, ctx.state.here)
    current = {**info.local_site, **{k: info.site[k] for k in ("name", "description", "sidebar")}}
    return await ctx.page(
        "admin.html",
        status=400 if error else 200,
        values=values or current,
        error=error,
        saved=ctx.params.get("saved"),
        flags=FLAGS,
        modes=sorted(site_settings.REGISTRATION_MODES),
        difficulties=("easy", "medium", "hard"),
        unread_applications=await application_queries.unread_count(db),
    )


def _site_changes(form: FormData) -> dict:
    changes: dict = {name: forms.text(form, name) for name in TEXTS}
    changes.update({name: forms.flag(form, name) for name in FLAGS})
    changes["registration_mode"] = forms.choice(form, "registration_mode", site_settings.REGISTRATION_MODES)
    changes["captcha_difficulty"] = forms.choice(form, "captcha_difficulty", site_settings.CAPTCHA_DIFFICULTIES)
    return changes


@router.get("/admin")
async def admin_page(ctx: AdminCtx, db: ReadDb) -> Response:
    return await _settings_page(ctx, db)


@router.post("/admin", dependencies=[MESSAGE])
async def save_site(ctx: AdminCtx, form: CheckedForm, db: ReadDb) -> Response:
    changes = _site_changes(form)
    try:
        async with ctx.state.db.write() as write:
            await site_settings.edit(write, ctx.state.here, ctx.viewer, changes)
    except AgoraError as error:
        return await _settings_page(ctx, db, values=changes, error=forms.message(error))
    return ctx.redirect("/admin?saved=1")


@router.get("/registration_applications")
async def applications_page(ctx: AdminCtx, db: ReadDb) -> Response:
    unread_only = ctx.params.get("all") != "1"
    views = await application_queries.list_views(db, unread_only=unread_only, page=1, limit=50)
    return await ctx.page("applications.html", applications=views, unread_only=unread_only)


@router.post("/registration_applications/{application_id}", dependencies=[MESSAGE])
async def decide_application(application_id: Id, ctx: AdminCtx, form: CheckedForm, db: WriteDb) -> Response:
    approve = forms.flag(form, "approve")
    deny_reason = forms.optional(form, "deny_reason")
    await applications.decide(db, ctx.state.here, ctx.viewer, application_id, approve=approve, deny_reason=deny_reason)
    return ctx.done("/registration_applications", said="Application approved." if approve else "Application denied.")


@router.get("/admin/bans")
async def bans_page(ctx: AdminCtx, db: ReadDb) -> Response:
    return await ctx.page("bans.html", banned=await person_queries.banned(db))


@router.get("/instances")
async def instances_page(ctx: Ctx, db: ReadDb) -> Response:
    return await ctx.page("instances.html", instances=await instances.known(db), here=ctx.state.here.domain)
