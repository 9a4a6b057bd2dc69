"""One community's moderation page: its moderators (appoint, remove, transfer the top seat), its bans (ban with a
reason and an end, lift), and a person's warnings there. Every action calls the domain function the API calls."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from agora.deps import ReadDb, rate_limited
from agora.domain import bans, communities
from agora.errors import AgoraError, Code
from agora.queries import bans as ban_queries
from agora.queries import communities as community_queries
from agora.queries import persons as person_queries
from agora.queries import warnings as warning_queries
from agora.queries.views import CommunityItem
from agora.web import forms
from agora.web.context import CheckedForm, MemberCtx, MemberPageContext
from agora.web.routes.listings import find_community
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute, dependencies=[rate_limited("message")])

# Which field of the page a refusal belongs beside; the rest go at the top of the form.
FIELD_OF = {
    Code.couldnt_find_person: "person",
    Code.community_moderator_already_exists: "person",
    Code.not_a_moderator: "person",
    Code.ban_expiration_in_past: "until",
    Code.invalid_body_field: "reason",
}


async def _person_id(ctx: MemberPageContext, db: AsyncSession, name: str) -> int:
    person_id = await person_queries.find_id(db, ctx.state.here.instance_id, name[:300]) if name.strip() else None
    if person_id is None:
        raise AgoraError(Code.couldnt_find_person, f"nobody here is called {name.strip() or '(empty)'}")
    return person_id


def _expires(form: FormData) -> int | None:
    """The ban's end from the form's date (the start of that day, UTC); empty: for good."""
    value = forms.text(form, "until").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise AgoraError(Code.ban_expiration_in_past, "give the end as a date") from None
    return int(datetime.combine(day, time(), UTC).timestamp())


async def _page(
    ctx: MemberPageContext,
    db: AsyncSession,
    view: CommunityItem,
    *,
    form: str | None = None,
    values: dict[str, Any] | None = None,
    error: AgoraError | None = None,
) -> Response:
    """The page; after a refusal, the refused form (`form`) keeps what was typed and shows the error by its field."""
    community_id = view.community["id"]
    may = ctx.viewer.admin or await community_queries.is_moderator(db, ctx.viewer.person_id, community_id)
    if not may:
        raise AgoraError(Code.not_a_mod_or_admin)
    moderators = await community_queries.moderators(db, community_id)
    top = moderators[0].moderator["id"] if moderators else None
    person = (values or {}).get("person") or ctx.params.get("person", "")
    warnings, warned = [], None
    if person:
        warned = await person_queries.find_id(db, ctx.state.here.instance_id, person[:300])
        if warned is not None:
            found, _total = await warning_queries.for_person(
                db, warned, moderated_by=None, page=1, limit=50, show_moderator=True
            )
            warnings = [w for w in found if w.community["id"] == community_id]
    errors = {}
    if error is not None:
        errors[FIELD_OF.get(error.code, "form")] = _said(error)
    return await ctx.page(
        "community_moderation.html",
        status=400 if error else 200,
        community=view,
        moderators=moderators,
        may_transfer=ctx.viewer.admin or top == ctx.viewer.person_id,
        bans=await ban_queries.of_community(db, community_id),
        person=person,
        warnings=warnings,
        refused=form,
        values=values or {},
        errors=errors,
    )


def _said(error: AgoraError) -> str:
    """The domain's own words when it gave some (they name the person or the limit), else the common message."""
    base = forms.message(error)
    detail = error.message if error.message and error.message != error.code.value else None
    return f"{base} ({detail})" if detail and detail not in base else base


@router.get("/c/{name}/moderation")
async def moderation_page(name: str, ctx: MemberCtx, db: ReadDb) -> Response:
    return await _page(ctx, db, await find_community(ctx, db, name))


@router.post("/c/{name}/moderators")
async def set_moderator(name: str, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    view = await find_community(ctx, db, name)
    values = {"person": forms.text(form, "person").strip()}
    added = forms.flag(form, "added")
    try:
        person_id = await _person_id(ctx, db, values["person"])
        async with ctx.state.db.write() as write:
            await communities.set_moderator(write, ctx.viewer, view.community["id"], person_id, added)
    except AgoraError as error:
        return await _page(ctx, db, view, form="appoint", values=values, error=error)
    said = f"{values['person']} is now a moderator." if added else f"{values['person']} no longer moderates."
    return ctx.done(f"/c/{name}/moderation", said=said)


@router.post("/c/{name}/transfer")
async def transfer(name: str, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    view = await find_community(ctx, db, name)
    values = {"person": forms.text(form, "person").strip()}
    try:
        person_id = await _person_id(ctx, db, values["person"])
        async with ctx.state.db.write() as write:
            await communities.transfer(write, ctx.viewer, view.community["id"], person_id)
    except AgoraError as error:
        return await _page(ctx, db, view, form="transfer", values=values, error=error)
    return ctx.done(f"/c/{name}/moderation", said=f"{values['person']} is now the top moderator.")


@router.post("/c/{name}/ban")
async def ban(name: str, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    view = await find_community(ctx, db, name)
    banning = forms.flag(form, "ban")
    person, reason, until = forms.text(form, "person").strip(), forms.text(form, "reason"), forms.text(form, "until")
    remove_data = forms.flag(form, "remove_data")
    values: dict[str, Any] = {"person": person, "reason": reason, "until": until.strip(), "remove_data": remove_data}
    try:
        person_id = await _person_id(ctx, db, person)
        async with ctx.state.db.write() as write:
            await bans.ban_from_community(
                write,
                ctx.state.here,
                ctx.viewer,
                view.community["id"],
                person_id,
                ban=banning,
                reason=reason,
                expires=_expires(form) if banning else None,
                remove_data=banning and remove_data,
            )
    except AgoraError as error:
        return await _page(ctx, db, view, form="ban" if banning else "unban", values=values, error=error)
    if not banning:
        return ctx.done(f"/c/{name}/moderation", said=f"{values['person']} may take part again.")
    until = f" until {values['until']}" if values["until"] else " for good"
    return ctx.done(f"/c/{name}/moderation", said=f"{values['person']} is banned from c/{name}{until}.")
