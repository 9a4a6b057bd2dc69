"""The front page, community pages and the list of communities."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from agora.deps import ReadDb
from agora.errors import AgoraError, Code
from agora.queries import activity, rows
from agora.queries import bans as ban_queries
from agora.queries import communities as community_queries
from agora.queries import moves as move_queries
from agora.queries.views import CommunityItem
from agora.web.context import Ctx, PageContext
from agora.web.listing import post_listing
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
COMMUNITIES_PAGE = 30


async def find_community(ctx: PageContext, db: AsyncSession, name: str) -> CommunityItem:
    community_id = await community_queries.find_id(db, ctx.state.here.instance_id, name[:300])
    view = await community_queries.get_view(db, ctx.viewer, community_id) if community_id else None
    if view is None:
        raise AgoraError(Code.couldnt_find_community)
    return view


@router.get("/")
async def front_page(ctx: Ctx, db: ReadDb) -> Response:
    return await ctx.page("front.html", listing=await post_listing(ctx, db))


@router.get("/c/{name}")
async def community_page(name: str, ctx: Ctx, db: ReadDb) -> Response:
    community = await find_community(ctx, db, name)
    moved = await move_queries.of_community(db, community.community["id"])
    if moved is not None and moved.moved_to:
        return RedirectResponse(await _moved_page(db, moved), status_code=302)
    listing = await post_listing(ctx, db, community_id=community.community["id"])
    moderators = await community_queries.moderators(db, community.community["id"])
    my_ban = None
    if ctx.viewer is not None and community.banned_from_community:
        my_ban = await ban_queries.in_community(db, ctx.viewer.person_id, community.community["id"])
    return await ctx.page(
        "community.html",
        community=community,
        moderators=moderators,
        listing=listing,
        mod_ids=listing.mod_ids,
        my_ban=my_ban,
        here_now=await activity.here_now(db, community.community["id"]),
    )


async def _moved_page(db: AsyncSession, moved: move_queries.MoveItem) -> str:
    """Where a moved community's page sends the reader: our page of the new community, else its own address."""
    target = await rows.one(db, "community", moved.moved_to_id) if moved.moved_to_id else None
    if target is None:
        return moved.moved_to or "/"
    return f"/c/{target['name']}" + ("" if target["local"] else f"@{urlsplit(target['actor_id']).netloc}")


@router.get("/communities")
async def communities_page(ctx: Ctx, db: ReadDb) -> Response:
    params = ctx.params
    listing_type = ctx.choice("listingType", ("All", "Local", "Subscribed"), "All")
    sort = ctx.choice("sort", community_queries.SORTS, "TopMonth")
    page = ctx.page_number
    views = await community_queries.list_views(
        db,
        ctx.viewer,
        listing_type=listing_type,
        sort=sort,
        show_nsfw=bool(ctx.viewer and ctx.viewer.show_nsfw),
        page=page,
        limit=COMMUNITIES_PAGE + 1,
    )
    kept = {"listingType": params.get("listingType"), "sort": params.get("sort")}
    return await ctx.page(
        "communities.html",
        communities=views[:COMMUNITIES_PAGE],
        listing_type=listing_type,
        sort=sort,
        **ctx.paging(kept, more=len(views) > COMMUNITIES_PAGE),
    )
