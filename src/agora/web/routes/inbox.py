"""The inbox (replies, mentions, private messages) and writing a private message."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.deps import ReadDb, WriteDb, rate_limited, take_token
from agora.domain import messages, notifications
from agora.errors import AgoraError, Code
from agora.queries import inbox
from agora.queries import persons as person_queries
from agora.queries import warnings as warning_queries
from agora.web import forms, tree
from agora.web.context import CheckedForm, Id, MemberCtx, PageContext
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
MESSAGE = rate_limited("message")
PAGE = 20
NOTIFICATION_KINDS = {"replies": "reply", "mentions": "mention"}
VIEWS = (*NOTIFICATION_KINDS, "messages", "warnings")


@router.get("/inbox")
async def inbox_page(ctx: MemberCtx, db: ReadDb) -> Response:
    params = ctx.params
    view = ctx.choice("view", VIEWS, "replies")
    unread_only = params.get("unread") == "1"
    page = ctx.page_number
    messages: list[Any] = []
    nodes: list[Any] = []
    warned: list[Any] = []
    if view == "warnings":
        # Who warned is shown as the modlog shows it: to admins, or when the site does not hide moderators' names.
        show = not ctx.site.get("hide_modlog_mod_names", True) or ctx.viewer.admin
        warned, _total = await warning_queries.for_person(
            db, ctx.viewer.person_id, moderated_by=None, page=page, limit=PAGE + 1, show_moderator=show
        )
        more = len(warned) > PAGE
    elif view == "messages":
        messages = await inbox.messages(
            db, ctx.viewer, unread_only=unread_only, creator_id=None, page=page, limit=PAGE + 1
        )
        more = len(messages) > PAGE
    else:
        items = await inbox.notifications(
            db, ctx.viewer, NOTIFICATION_KINDS[view], sort="New", unread_only=unread_only, page=page, limit=PAGE + 1
        )
        nodes = [(item.notification, tree.flat([item.comment])[0]) for item in items[:PAGE]]
        more = len(items) > PAGE
    kept = {"view": params.get("view"), "unread": params.get("unread")}
    return await ctx.page(
        "inbox.html",
        view=view,
        unread_only=unread_only,
        messages=messages[:PAGE],
        notifications=nodes,
        warnings=warned[:PAGE],
        **ctx.paging(kept, more=more),
    )


@router.post("/inbox/mark_read", dependencies=[MESSAGE])
async def mark_read(ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    kind, row_id, read = forms.text(form, "kind"), forms.required_number(form, "id"), forms.flag(form, "read")
    if kind == "reply":
        await notifications.mark_reply(db, ctx.viewer, row_id, read)
    elif kind == "mention":
        await notifications.mark_mention(db, ctx.viewer, row_id, read)
    else:
        await messages.mark_read(db, ctx.viewer, row_id, read)
    return ctx.done(forms.text(form, "next") or "/inbox")


@router.post("/inbox/mark_all_read", dependencies=[MESSAGE])
async def mark_all_read(ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    await notifications.mark_all_read(db, ctx.viewer)
    return ctx.done("/inbox", said="All marked as read.")


async def _compose(
    ctx: PageContext, db: AsyncSession, recipient_id: int, *, content: str = "", error: AgoraError | None = None
) -> Response:
    recipient = await person_queries.get_view(db, recipient_id)
    if recipient is None:
        raise AgoraError(Code.couldnt_find_person)
    return await ctx.page(
        "message_form.html",
        refused_by=error,
        recipient=recipient,
        content=content,
        errors={"content": forms.message(error)} if error else {},  # the form's one field
    )


@router.get("/create_private_message/{recipient_id}")
async def compose_page(recipient_id: Id, ctx: MemberCtx, db: ReadDb) -> Response:
    return await _compose(ctx, db, recipient_id)


@router.post("/create_private_message/{recipient_id}")
async def send_message(recipient_id: Id, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    content = forms.text(form, "content")
    try:
        await take_token(ctx.request, "message")  # here, not as a dependency: a refused message keeps its text
        async with ctx.state.db.write() as write:
            await messages.create(write, ctx.state.here, ctx.viewer, recipient_id, content)
    except AgoraError as error:
        return await _compose(ctx, db, recipient_id, content=content, error=error)
    return ctx.redirect("/inbox?view=messages")


@router.post("/private_message/{message_id}/delete", dependencies=[MESSAGE])
async def delete_message(message_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    await messages.set_deleted(db, ctx.viewer, message_id, forms.flag(form, "deleted"))
    return ctx.done("/inbox?view=messages")
