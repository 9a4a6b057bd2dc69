"""A post's page with its comment tree, and the forms that create and edit posts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.responses import Response

from agora.core.clock import now
from agora.deps import ReadDb, take_token
from agora.domain import polls, posts
from agora.errors import AgoraError, Code
from agora.media import link_previews
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import paging, post_listings
from agora.queries import polls as poll_queries
from agora.queries import posts as post_queries
from agora.queries.views import PostItem
from agora.web import forms, tree, uploads
from agora.web.context import CheckedForm, Ctx, Id, MemberCtx, PageContext
from agora.web.listing import viewer_id
from agora.web.render import host
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
TREE_DEPTH = 8
FLAT_PAGE = paging.PAGE_LIMIT_MAX  # the most one query may list
COMMENT_SORTS = tuple(comment_queries.SORTS)


async def visible_post(ctx: PageContext, db: AsyncSession, post_id: int) -> PostItem:
    view = await post_queries.visible_post_view(db, ctx.viewer, post_id)
    if view is None:
        raise AgoraError(Code.couldnt_find_post)
    return view


async def post_surroundings(ctx: PageContext, db: AsyncSession, view: PostItem) -> dict:
    """What a page about one post shows around it: its community's sidebar and the post's cross-posts."""
    community_id = view.post["community_id"]
    community = await community_queries.get_view(db, ctx.viewer, community_id)
    if community is None:
        raise AgoraError(Code.couldnt_find_community)
    mod_ids = await comment_queries.moderated_ids(db, ctx.viewer)
    return {
        "pv": view,
        "community": community,
        "moderators": await community_queries.moderators(db, community_id),
        "cross_posts": await post_listings.cross_posts(db, ctx.viewer, view),
        "mod_ids": mod_ids,
        "can_mod": bool(ctx.viewer and (ctx.viewer.admin or community_id in mod_ids)),
        "poll": await poll_queries.poll_of(db, view.post["id"], viewer_id(ctx)),
    }


def comment_sort(ctx: PageContext) -> str:
    sort = ctx.params.get("sort")
    return sort if sort in COMMENT_SORTS else "Hot"


@router.get("/post/{post_id}")
async def post_page(post_id: Id, ctx: Ctx, db: ReadDb) -> Response:
    view = await visible_post(ctx, db, post_id)
    sort = comment_sort(ctx)
    flat = ctx.params.get("view") == "flat"
    extra: dict[str, Any] = {}
    if flat:
        # Every comment of the post in one list, fifty a page: the way through threads too long for one tree.
        q = comment_queries.CommentQuery(post_id=post_id, sort=sort, page=ctx.page_number, limit=FLAT_PAGE)
        views = await comment_queries.list_comments(db, ctx.viewer, q)
        nodes = tree.flat(views)
        extra = {**ctx.paging({"view": "flat", "sort": ctx.params.get("sort")}, more=len(views) == FLAT_PAGE)}
    else:
        q = comment_queries.CommentQuery(post_id=post_id, sort=sort, max_depth=TREE_DEPTH)
        views = await comment_queries.list_comments(db, ctx.viewer, q)
        nodes = tree.build(views)
        # The tree holds every top-level comment before any reply; when they alone fill it, some were cut.
        extra["more_top"] = len(nodes) >= paging.TREE_MAX
    surroundings = await post_surroundings(ctx, db, view)
    if ctx.viewer is not None:
        async with ctx.state.db.write() as write:  # as the API does: reading a post marks it read
            await posts.upsert_read(write, ctx.viewer.person_id, post_id, view.post["comments"])
    return await ctx.page("post.html", tree=nodes, sort=sort, flat=flat, **extra, **surroundings)


# --- creating and editing ---------------------------------------------------------------------------------------


# How long a poll made with the form runs (the API takes any end within limits.POLL_DURATION_MIN..MAX).
POLL_DURATIONS = {
    "1h": ("an hour", timedelta(hours=1)),
    "1d": ("a day", timedelta(days=1)),
    "3d": ("three days", timedelta(days=3)),
    "7d": ("a week", timedelta(days=7)),
    "30d": ("thirty days", timedelta(days=30)),
}
NO_POLL = {"poll_choices": "", "poll_multiple": False, "poll_duration": "3d"}


def _post_values(form: FormData) -> dict:
    return {
        "name": forms.text(form, "name").strip(),
        "url": forms.optional(form, "url"),
        "body": forms.text(form, "body"),
        "alt_text": forms.optional(form, "alt_text"),
        "nsfw": forms.flag(form, "nsfw"),
        "community": forms.text(form, "community").strip(),
        "poll_choices": forms.text(form, "poll_choices"),
        "poll_multiple": forms.flag(form, "poll_multiple"),
        "poll_duration": forms.text(form, "poll_duration"),
    }


def _poll(values: dict) -> polls.PollForm | None:
    """The poll of the form: its choices one a line; none when no line has any."""
    choices = [line.strip() for line in values["poll_choices"].split("\n") if line.strip()]
    if not choices:
        return None
    duration = POLL_DURATIONS.get(values["poll_duration"], POLL_DURATIONS["3d"])[1]
    return polls.PollForm(choices, values["poll_multiple"], now() + duration)


async def _community_choices(ctx: PageContext, db: AsyncSession) -> list:
    return await community_queries.list_views(
        db, ctx.viewer, listing_type="Subscribed", sort="TopAll", show_nsfw=True, page=1, limit=50
    )


# Beside which field of the post form a refusal is shown; the others go at the top.
POST_FIELD_OF = {
    Code.couldnt_find_community: "community",
    Code.only_mods_can_post_in_community: "community",
    Code.banned_from_community: "community",
    Code.cannot_create_post_or_comment_in_deleted_or_removed_community: "community",
    Code.invalid_post_title: "name",
    Code.post_title_too_long: "name",
    Code.invalid_url: "url",
    Code.url_length_overflow: "url",
    Code.invalid_url_scheme: "url",
    Code.url_without_domain: "url",
    Code.blocked_url: "url",
    Code.not_an_image_type: "image",
    Code.too_large: "image",
    Code.alt_text_length_overflow: "alt_text",
    Code.invalid_body_field: "body",
    Code.invalid_poll: "poll_choices",
}


async def _form_page(
    ctx: PageContext,
    db: AsyncSession,
    values: dict[str, Any],
    *,
    error: AgoraError | None = None,
    post_id: int | None = None,
) -> Response:
    return await ctx.page(
        "post_form.html",
        refused_by=error,
        values=values,
        errors=forms.refusal(error, POST_FIELD_OF) if error else {},
        post_id=post_id,
        choices=await _community_choices(ctx, db) if post_id is None else [],
        poll_durations=POLL_DURATIONS,
    )


@router.get("/create_post")
async def create_post_page(ctx: MemberCtx, db: ReadDb) -> Response:
    params = ctx.params
    values = {"name": "", "url": "", "body": "", "alt_text": "", "nsfw": False, "community": "", **NO_POLL}
    community_id = forms.number(params, "community_id") if params.get("community_id") else None
    crosspost = forms.number(params, "crosspost")
    if crosspost is not None:
        source = await visible_post(ctx, db, crosspost)
        quoted = "\n".join(f"> {line}" for line in (source.post["body"] or "").splitlines())
        values.update(
            name=source.post["name"],
            url=source.post["url"] or "",
            body=f"cross-posted from: {source.post['ap_id']}\n\n{quoted}".rstrip(),
        )
    if community_id is not None:
        view = await community_queries.get_view(db, ctx.viewer, community_id)
        if view is not None:
            values["community"] = _community_ref(view.community)
    return await _form_page(ctx, db, values)


def _community_ref(community: dict) -> str:
    """How the form names a community: `name` here, `name@host` elsewhere."""
    if community["local"]:
        return community["name"]
    return f"{community['name']}@{host(community['actor_id'])}"


@router.post("/create_post")
async def create_post(ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    values = _post_values(form)
    here = ctx.state.here
    image, saved = forms.upload(form, "image"), None
    try:
        await take_token(ctx.request, "post")  # here, not as a dependency: a refused post keeps its text
        community_id = await community_queries.find_id(db, here.instance_id, values["community"][:300])
        if community_id is None:
            raise AgoraError(Code.couldnt_find_community)
        async with ctx.state.db.write() as write:
            thumbnail = None
            if image is not None:
                saved = await uploads.store_image(ctx, write, image)
                values["url"] = uploads.image_url(ctx, saved.name)
                thumbnail = uploads.image_url(ctx, saved.thumbnail_name)
            post = await posts.create(
                write,
                here,
                ctx.viewer,
                posts.PostForm(
                    name=values["name"],
                    community_id=community_id,
                    url=values["url"],
                    body=values["body"] or None,
                    alt_text=values["alt_text"],
                    nsfw=values["nsfw"],
                    custom_thumbnail=thumbnail,
                    honeypot=forms.optional(form, "honeypot"),
                    poll=_poll(values),
                ),
            )
    except AgoraError as error:
        uploads.discard(ctx, saved)
        return await _form_page(ctx, db, values, error=error)
    response = ctx.redirect(f"/post/{post.id}")
    if post.url and image is None:
        response.background = BackgroundTask(link_previews.attach, ctx.state, post.id, post.url)
    return response


@router.get("/post/{post_id}/edit")
async def edit_post_page(post_id: Id, ctx: MemberCtx, db: ReadDb) -> Response:
    view = await visible_post(ctx, db, post_id)
    if view.post["creator_id"] != ctx.viewer.person_id:
        raise AgoraError(Code.no_post_edit_allowed)
    p = view.post
    values = {
        "name": p["name"],
        "url": p["url"] or "",
        "body": p["body"] or "",
        "alt_text": p["alt_text"] or "",
        "nsfw": p["nsfw"],
        "community": "",
        **NO_POLL,
    }
    return await _form_page(ctx, db, values, post_id=post_id)


@router.post("/post/{post_id}/edit")
async def edit_post(post_id: Id, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    values = _post_values(form)
    # Lemmy's edit convention: "" clears the link, body and alt text.
    changes = {
        "name": values["name"],
        "url": values["url"] or "",
        "body": values["body"],
        "alt_text": values["alt_text"] or "",
        "nsfw": values["nsfw"],
    }
    try:
        async with ctx.state.db.write() as write:
            post = await posts.edit(write, ctx.state.here, ctx.viewer, post_id, changes)
    except AgoraError as error:
        return await _form_page(ctx, db, values, error=error, post_id=post_id)
    response = ctx.redirect(f"/post/{post_id}")
    response.background = link_previews.after_answer(ctx.state, post)
    return response
