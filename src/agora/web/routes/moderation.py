"""The modlog for everyone, and the reports queue for moderators (their communities) and admins (everything)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.deps import ReadDb, WriteDb, rate_limited
from agora.domain import messages, moderation, reports, warnings
from agora.domain.modlog import Kind
from agora.queries import comments as comment_queries
from agora.queries import inbox
from agora.queries import modlog as modlog_queries
from agora.queries import reports as report_queries
from agora.web import forms, tree
from agora.web.context import CheckedForm, Ctx, Id, MemberCtx, PageContext
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
PAGE = 30


def _id(ctx: PageContext, name: str) -> int | None:
    value = ctx.params.get(name, "")
    return int(value) if value.isdigit() and int(value) < 2**31 else None


@router.get("/modlog")
async def modlog_page(ctx: Ctx, db: ReadDb) -> Response:
    return await _modlog(ctx, db, _id(ctx, "community_id"))


@router.get("/modlog/{community_id}")
async def community_modlog_page(community_id: Id, ctx: Ctx, db: ReadDb) -> Response:
    """lemmy-ui's path for one community's log."""
    return await _modlog(ctx, db, community_id)


async def _modlog(ctx: PageContext, db: AsyncSession, community_id: int | None) -> Response:
    page = ctx.page_number
    kind = ctx.params.get("type") if ctx.params.get("type") in {k.value for k in Kind} else None
    hide = await modlog_queries.hides_mod_names(db, ctx.site, ctx.viewer, community_id)
    items = await modlog_queries.list_entries(
        db,
        ctx.viewer,
        modlog_queries.ModlogFilter(kind=kind, community_id=community_id, page=page, limit=PAGE + 1),
        hide_mod_names=hide,
    )
    kept = {"community_id": community_id, "type": kind}
    return await ctx.page(
        "modlog.html",
        items=items[:PAGE],
        kinds=[k.value for k in Kind],
        kind=kind,
        community_id=community_id,
        **ctx.paging(kept, more=len(items) > PAGE),
    )


@router.get("/reports")
async def reports_page(ctx: MemberCtx, db: ReadDb) -> Response:
    page, community_id = ctx.page_number, _id(ctx, "community_id")
    unresolved_only = ctx.params.get("all") != "1"
    f = report_queries.ReportFilter(unresolved_only=unresolved_only, community_id=community_id, page=page, limit=PAGE)
    post_reports = await report_queries.post_reports(db, ctx.viewer, f)
    comment_reports = await report_queries.comment_reports(db, ctx.viewer, f)
    message_reports = []
    if ctx.viewer.admin:
        message_reports = await inbox.message_reports(db, unresolved_only=unresolved_only, page=page, limit=PAGE)
    full = max(len(post_reports), len(comment_reports), len(message_reports)) >= PAGE
    kept = {"community_id": community_id, "all": ctx.params.get("all")}
    return await ctx.page(
        "reports.html",
        post_reports=post_reports,
        comment_reports=[(r, tree.flat([r.comment])[0]) for r in comment_reports],
        message_reports=message_reports,
        unresolved_only=unresolved_only,
        mod_ids=await comment_queries.moderated_ids(db, ctx.viewer),
        **ctx.paging(kept, more=full),
    )


# What a moderator may do to settle a report, beside settling it as it is.
ACTIONS = ("none", "remove", "warn")


@router.post("/reports/resolve", dependencies=[rate_limited("message")])
async def resolve_report(ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    """Resolve (or reopen) a report; with `action` remove the reported post or comment, or warn its author, with
    `reason`, in the same step."""
    kind, report_id, resolved = (
        forms.text(form, "kind"),
        forms.required_number(form, "id"),
        forms.flag(form, "resolved"),
    )
    action = forms.choice(form, "action", ACTIONS, "none") if resolved else "none"
    reason = forms.optional(form, "reason")
    said = "Report resolved." if resolved else "Report reopened."
    if kind == "post":
        post_report = await reports.resolve_post_report(db, ctx.viewer, report_id, resolved)
        target = {"post_id": post_report.post_id, "comment_id": None}
        if action == "remove":
            await moderation.remove_post(db, ctx.state.here, ctx.viewer, post_report.post_id, True, reason)
    elif kind == "comment":
        comment_report = await reports.resolve_comment_report(db, ctx.viewer, report_id, resolved)
        target = {"post_id": None, "comment_id": comment_report.comment_id}
        if action == "remove":
            await moderation.remove_comment(db, ctx.state.here, ctx.viewer, comment_report.comment_id, True, reason)
    else:
        await messages.resolve_report(db, ctx.viewer, report_id, resolved)
        action = "none"
    if action == "warn":
        await warnings.warn(db, ctx.viewer, **target, reason=reason)
        said = "Report resolved; the author is warned."
    elif action == "remove":
        said = f"Report resolved; the {kind} is removed."
    return ctx.done(forms.text(form, "next") or "/reports", said=said)
