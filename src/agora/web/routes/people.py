"""Profiles: a person's posts, comments and (their own) saved items; block, message, and the admins' site ban."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.deps import ReadDb, WriteDb, rate_limited
from agora.domain import bans, blocks
from agora.errors import AgoraError, Code
from agora.queries import bans as ban_queries
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import moves as move_queries
from agora.queries import persons as person_queries
from agora.queries import post_listings
from agora.queries import site as site_queries
from agora.queries import warnings as warning_queries
from agora.queries.views import PersonItem
from agora.web import forms, tree
from agora.web.context import CheckedForm, Ctx, MemberCtx, PageContext
from agora.web.routes import reasons
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
PAGE = 20
VIEWS = ("posts", "comments", "saved")


async def find_person(ctx: PageContext, db: AsyncSession, name: str) -> PersonItem:
    person_id = await person_queries.find_id(db, ctx.state.here.instance_id, name[:300])
    view = await person_queries.get_view(db, person_id) if person_id else None
    if view is None:
        raise AgoraError(Code.couldnt_find_person)
    return view


@router.get("/u/{name}")
async def profile_page(name: str, ctx: Ctx, db: ReadDb) -> Response:
    person = await find_person(ctx, db, name)
    person_id = person.person["id"]
    own = ctx.viewer is not None and ctx.viewer.person_id == person_id
    params = ctx.params
    view = ctx.choice("view", VIEWS, "posts")
    if view == "saved" and not own:
        view = "posts"
    page = ctx.page_number
    asked_sort = params.get("sort")
    sort = asked_sort if asked_sort in post_listings.SORTS else "New"
    saved = view == "saved"
    posts, comments = [], []
    if view in ("posts", "saved"):
        found = await post_listings.list_posts(
            db,
            ctx.viewer,
            post_listings.PostQuery(
                listing_type="All",
                sort=sort,
                creator_id=None if saved else person_id,
                saved_only=saved,
                show_hidden=True,
                show_read=True,
                show_nsfw=True if ctx.viewer is None else None,
                page=page,
                limit=PAGE + 1,
                keep_deleted_of_creator=True,
            ),
        )
        posts = found.posts
    if view in ("comments", "saved"):
        comment_sort = comment_queries.FROM_POST_SORT.get(sort, "Top" if sort.startswith("Top") else "New")
        comments = await comment_queries.list_comments(
            db,
            ctx.viewer,
            comment_queries.CommentQuery(
                sort=comment_sort,
                creator_id=None if saved else person_id,
                saved_only=saved,
                page=page,
                limit=PAGE + 1,
            ),
        )
    more = len(posts) > PAGE or len(comments) > PAGE
    blocked = False
    if ctx.viewer is not None and not own:
        blocked = any(b["id"] == person_id for b in (await site_queries.my_user(db, ctx.viewer)).person_blocks)
    kept = {"view": params.get("view"), "sort": params.get("sort")}
    record = await _record(ctx, db, person_id) if ctx.viewer is not None and not own else None
    return await ctx.page(
        "profile.html",
        person=person,
        own=own,
        blocked=blocked,
        view=view,
        sort=sort,
        posts=posts[:PAGE],
        comments=tree.flat(comments[:PAGE]),
        moderates=await community_queries.moderated_by(db, ctx.viewer, person_id),
        mod_ids=await comment_queries.moderated_ids(db, ctx.viewer),
        record=record,
        move=await move_queries.of_person(db, person_id),
        **ctx.paging(kept, more=more),
    )


@dataclass(slots=True)
class Record:
    warnings: list
    bans: list


async def _record(ctx: PageContext, db: AsyncSession, person_id: int) -> Record | None:
    """A person's warnings and community bans, for admins (all) and moderators (in their communities) deciding
    what to do next; None for everyone else (as the API's warning list)."""
    if ctx.viewer is None:
        return None
    if ctx.viewer.admin:
        mine = None
    elif await warning_queries.moderates_any(db, ctx.viewer.person_id):
        mine = ctx.viewer.person_id
    else:
        return None
    warnings, _total = await warning_queries.for_person(
        db, person_id, moderated_by=mine, page=1, limit=50, show_moderator=True
    )
    return Record(warnings, await ban_queries.of_person(db, person_id, moderated_by=mine))


@router.post("/u/{name}/block", dependencies=[rate_limited("message")])
async def block_person(name: str, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    person = await find_person(ctx, db, name)
    blocking = forms.flag(form, "block")
    await blocks.block_person(db, ctx.viewer, person.person["id"], blocking)
    return ctx.done(f"/u/{name}", said=f"{name} is blocked." if blocking else f"{name} is no longer blocked.")


@router.post("/u/{name}/ban")
async def ban_person(name: str, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    """An admin's site ban (or its lifting); a refused reason comes back typed, with the days and choices kept."""
    person = await find_person(ctx, db, name)
    days, banning = forms.number(form, "days"), forms.flag(form, "ban")
    expires = int(time.time()) + days * 86400 if days and days > 0 else None
    remove_data = forms.flag(form, "remove_data")

    async def act(write: AsyncSession, reason: str | None) -> str:
        await bans.ban_from_site(
            write,
            ctx.state.here,
            ctx.viewer,
            person.person["id"],
            ban=banning,
            reason=reason,
            expires=expires,
            remove_data=remove_data,
        )
        if not banning:
            return f"{name} is no longer banned from the site."
        until = f" until {datetime.fromtimestamp(expires, UTC).date().isoformat()}" if expires else " for good"
        return f"{name} is banned from the site{until}."

    kept = {
        "ban": "1" if banning else "0",
        "days": str(days) if days else "",
        "remove_data": "1" if remove_data else "",
    }
    heading = f"Ban {name} from the site" if banning else f"Lift {name}'s site ban"
    shown = reasons.ReasonForm(heading, f"/u/{name}", "Reason", "ban" if banning else "lift the ban", kept)
    return await reasons.attempt(ctx, form, shown, act)
