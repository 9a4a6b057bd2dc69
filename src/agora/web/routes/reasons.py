"""Actions that carry a typed reason: reporting a post, comment or message, the moderators' warn and remove, and
(through `attempt`) an admin's site ban.

A refused one (no reason, too long, too many at once) comes back on a small page with the same form, what was typed
and the error beside the field, under the member's own header; a successful one says what happened on the page it
returns to. Each write runs in its own transaction, so a refusal commits nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.deps import take_token
from agora.domain import messages, moderation, reports, warnings
from agora.errors import AgoraError, Code
from agora.queries import persons as person_queries
from agora.web import forms
from agora.web.context import CheckedForm, Id, MemberCtx, MemberPageContext
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)

# Refusals that concern what was typed (or when): the form comes back. Others (no such post, not a moderator) are
# answered by the error page, since sending the form again could not help.
RETYPE = frozenset(
    {
        Code.report_reason_required,
        Code.report_too_long,
        Code.warning_reason_required,
        Code.invalid_body_field,
        Code.rate_limit_error,
        Code.slurs,
    }
)

Act = Callable[[AsyncSession, str | None], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class ReasonForm:
    """How the small page presents the form: its heading, what it concerns, the field's label, the button."""

    heading: str
    about: str  # the path of the post, comment or inbox it concerns
    label: str
    button: str
    fields: dict[str, str] = field(default_factory=dict)


async def attempt(ctx: MemberPageContext, form: CheckedForm, shown: ReasonForm, act: Act) -> Response:
    """Run `act` with the typed reason in its own transaction; on a refusal about what was typed, the small page."""
    reason = forms.text(form, "reason")
    back = forms.local_path(forms.text(form, "next") or None, shown.about)
    try:
        await take_token(ctx.request, "message")  # here, not as a dependency: a refused reason keeps its text
        async with ctx.state.db.write() as write:
            said = await act(write, reason.strip() or None)
    except AgoraError as error:
        if error.code not in RETYPE:
            raise
        return await ctx.page(
            "reason_form.html",
            refused_by=error,
            form=shown,
            action=ctx.request.url.path,
            reason=reason,
            back=back,
            errors={"reason": forms.message(error)},
        )
    return ctx.done(back, said=said)


REPORT = "Reason for the report"
SENT = "Report sent to the moderators."
WARN = "What they did wrong (they are told)"
REMOVE = "Reason for the removal"


def _report(ctx: MemberPageContext, report: Callable[..., Awaitable[int]], target_id: int, said: str) -> Act:
    async def act(db: AsyncSession, reason: str | None) -> str:
        await report(db, ctx.viewer, target_id, reason)
        return said

    return act


def _warn(ctx: MemberPageContext, *, post_id: int | None, comment_id: int | None) -> Act:
    async def act(db: AsyncSession, reason: str | None) -> str:
        warning = await warnings.warn(db, ctx.viewer, post_id=post_id, comment_id=comment_id, reason=reason)
        person = await person_queries.get_view(db, warning.person_id)
        name = person.person["name"] if person else "The author"
        return f"{name} is warned; they read it in their inbox."

    return act


async def _remove(
    ctx: MemberPageContext, form: CheckedForm, remove: Callable[..., Awaitable[object]], kind: str, target_id: int
) -> Response:
    """Remove (or, with removed=0, restore) a post or comment."""
    removed = forms.flag(form, "removed")

    async def act(db: AsyncSession, reason: str | None) -> str:
        await remove(db, ctx.state.here, ctx.viewer, target_id, removed, reason)
        return f"{kind.capitalize()} {'removed' if removed else 'restored'}."

    shown = ReasonForm(f"Remove a {kind}", f"/{kind}/{target_id}", REMOVE, "remove", {"removed": str(int(removed))})
    return await attempt(ctx, form, shown, act)


@router.post("/post/{post_id}/report")
async def report_post(post_id: Id, ctx: MemberCtx, form: CheckedForm) -> Response:
    shown = ReasonForm("Report a post", f"/post/{post_id}", REPORT, "report")
    return await attempt(ctx, form, shown, _report(ctx, reports.report_post, post_id, SENT))


@router.post("/comment/{comment_id}/report")
async def report_comment(comment_id: Id, ctx: MemberCtx, form: CheckedForm) -> Response:
    shown = ReasonForm("Report a comment", f"/comment/{comment_id}", REPORT, "report")
    return await attempt(ctx, form, shown, _report(ctx, reports.report_comment, comment_id, SENT))


@router.post("/private_message/{message_id}/report")
async def report_message(message_id: Id, ctx: MemberCtx, form: CheckedForm) -> Response:
    shown = ReasonForm("Report a message", "/inbox?view=messages", REPORT, "report")
    return await attempt(ctx, form, shown, _report(ctx, messages.report, message_id, "Report sent to the admins."))


@router.post("/post/{post_id}/warn")
async def warn_post_author(post_id: Id, ctx: MemberCtx, form: CheckedForm) -> Response:
    shown = ReasonForm("Warn the author of a post", f"/post/{post_id}", WARN, "warn")
    return await attempt(ctx, form, shown, _warn(ctx, post_id=post_id, comment_id=None))


@router.post("/comment/{comment_id}/warn")
async def warn_comment_author(comment_id: Id, ctx: MemberCtx, form: CheckedForm) -> Response:
    shown = ReasonForm("Warn the author of a comment", f"/comment/{comment_id}", WARN, "warn")
    return await attempt(ctx, form, shown, _warn(ctx, post_id=None, comment_id=comment_id))


@router.post("/post/{post_id}/remove")
async def remove_post(post_id: Id, ctx: MemberCtx, form: CheckedForm) -> Response:
    return await _remove(ctx, form, moderation.remove_post, "post", post_id)


@router.post("/comment/{comment_id}/remove")
async def remove_comment(comment_id: Id, ctx: MemberCtx, form: CheckedForm) -> Response:
    return await _remove(ctx, form, moderation.remove_comment, "comment", comment_id)
