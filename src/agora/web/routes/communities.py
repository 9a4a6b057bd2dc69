"""Create and edit a community; subscribe and unsubscribe."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from agora.deps import ReadDb, WriteDb, rate_limited, take_token
from agora.domain import communities
from agora.domain.communities import VISIBILITIES
from agora.errors import AgoraError, Code
from agora.queries.views import CommunityItem
from agora.web import forms, uploads
from agora.web.context import CheckedForm, MemberCtx, MemberPageContext, PageContext
from agora.web.routes.listings import find_community
from agora.web.routing import WebRoute

if TYPE_CHECKING:
    from agora.db.models import LocalImage

router = APIRouter(route_class=WebRoute)


def _values(form: FormData) -> dict:
    return {
        "name": forms.text(form, "name").strip(),
        "title": forms.text(form, "title").strip(),
        "description": forms.text(form, "description"),
        "icon": forms.text(form, "icon").strip(),
        "banner": forms.text(form, "banner").strip(),
        "nsfw": forms.flag(form, "nsfw"),
        "posting_restricted_to_mods": forms.flag(form, "posting_restricted_to_mods"),
        "visibility": forms.choice(form, "visibility", VISIBILITIES, "Public"),
    }


# Beside which field of the community form a refusal is shown; the others go at the top. The title is the one
# field whose check answers invalid_body_field (the sidebar's length is held by the field's maxlength).
COMMUNITY_FIELD_OF = {
    Code.community_already_exists: "name",
    Code.invalid_name: "name",
    Code.invalid_body_field: "title",
}


async def _form(
    ctx: PageContext,
    values: dict[str, Any],
    *,
    community: CommunityItem | None = None,
    error: AgoraError | None = None,
) -> Response:
    errors = forms.refusal(error, COMMUNITY_FIELD_OF) if error else {}
    return await ctx.page("community_form.html", refused_by=error, values=values, community=community, errors=errors)


@router.get("/create_community")
async def create_community_page(ctx: MemberCtx) -> Response:
    return await _form(ctx, {"visibility": "Public"})


async def _store_images(
    ctx: MemberPageContext, db: AsyncSession, form: FormData, values: dict[str, Any], saved: list[LocalImage]
) -> None:
    """Uploaded icon and banner files become the community's image links (an upload wins over a typed link)."""
    for field in ("icon", "banner"):
        upload = forms.upload(form, f"{field}_file")
        if upload is not None:
            image = await uploads.store_image(ctx, db, upload)
            saved.append(image)
            values[field] = uploads.image_url(ctx, image.name)


def _discard(ctx: PageContext, saved: list, values: dict, typed: dict) -> None:
    for image in saved:
        uploads.discard(ctx, image)
    values.update(typed)  # the refused form shows the links as typed, not those of files now gone


@router.post("/create_community")
async def create_community(ctx: MemberCtx, form: CheckedForm) -> Response:
    values = _values(form)
    typed = {"icon": values["icon"], "banner": values["banner"]}
    saved: list[LocalImage] = []
    try:
        await take_token(ctx.request, "register")  # here, not as a dependency: a refused form keeps its fields
        async with ctx.state.db.write() as db:
            await _store_images(ctx, db, form, values, saved)
            community = await communities.create(
                db,
                ctx.state.here,
                ctx.viewer,
                communities.CommunityForm(
                    name=values["name"],
                    title=values["title"],
                    description=values["description"] or None,
                    icon=values["icon"] or None,
                    banner=values["banner"] or None,
                    nsfw=values["nsfw"],
                    posting_restricted_to_mods=values["posting_restricted_to_mods"],
                    visibility=values["visibility"],
                ),
            )
    except AgoraError as error:
        _discard(ctx, saved, values, typed)
        return await _form(ctx, values, error=error)
    return ctx.done(f"/c/{community.name}", said="Community created; you are its moderator.")


@router.get("/c/{name}/edit")
async def edit_community_page(name: str, ctx: MemberCtx, db: ReadDb) -> Response:
    view = await find_community(ctx, db, name)
    c = view.community
    values = {key: c[key] or "" for key in ("name", "title", "description", "icon", "banner")}
    values.update(
        nsfw=c["nsfw"], posting_restricted_to_mods=c["posting_restricted_to_mods"], visibility=c["visibility"]
    )
    return await _form(ctx, values, community=view)


@router.post("/c/{name}/edit")
async def edit_community(name: str, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    view = await find_community(ctx, db, name)
    values = {**_values(form), "name": view.community["name"]}
    typed = {"icon": values["icon"], "banner": values["banner"]}
    saved: list[LocalImage] = []
    try:
        async with ctx.state.db.write() as write:
            await _store_images(ctx, write, form, values, saved)
            changes = {key: values[key] for key in values if key != "name"}  # "" clears description, icon, banner
            await communities.edit(write, ctx.viewer, view.community["id"], changes)
            await uploads.release_noted(ctx, write)
    except AgoraError as error:
        _discard(ctx, saved, values, typed)
        return await _form(ctx, values, community=view, error=error)
    return ctx.done(f"/c/{name}", said="Community saved.")


@router.post("/c/{name}/subscribe", dependencies=[rate_limited("message")])
async def subscribe(name: str, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    view = await find_community(ctx, db, name)
    state = await communities.follow(db, ctx.viewer, view.community["id"], forms.flag(form, "follow"))
    return ctx.done(forms.text(form, "next") or f"/c/{name}", subscribed=state)
