"""Search: posts and comments by relevance, communities and people by name, posts by link."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.deps import ReadDb, rate_limited
from agora.queries import comments as comment_queries
from agora.queries import search
from agora.web import tree
from agora.web.context import Ctx
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
KINDS = ("All", "Posts", "Comments", "Communities", "Users", "Url")
SORTS = ("Relevance", "New", "Old", "TopDay", "TopWeek", "TopMonth", "TopYear", "TopAll")
PAGE = 20


@router.get("/search", dependencies=[rate_limited("search")])
async def search_page(ctx: Ctx, db: ReadDb) -> Response:
    params = ctx.params
    q = params.get("q", "").strip()[:500]
    kind = ctx.choice("type", KINDS, "All")
    sort = ctx.choice("sort", SORTS, "Relevance")
    page = ctx.page_number
    results: dict = {"posts": [], "comments": [], "communities": [], "users": []}
    if q:
        s = search.SearchQuery(
            q=q,
            sort=None if sort == "Relevance" else sort,
            show_nsfw=bool(ctx.viewer and ctx.viewer.show_nsfw),
            page=page,
            limit=PAGE,
        )
        if kind in ("All", "Posts", "Url"):
            results["posts"] = await search.posts(db, ctx.viewer, s, url_only=kind == "Url")
        if kind in ("All", "Comments"):
            results["comments"] = tree.results(await search.comments(db, ctx.viewer, s))
        if kind in ("All", "Communities"):
            results["communities"] = await search.communities(db, ctx.viewer, s)
        if kind in ("All", "Users"):
            results["users"] = await search.persons(db, s)
    full = any(len(found) >= PAGE for found in results.values())
    kept = {"q": q, "type": params.get("type"), "sort": params.get("sort")}
    return await ctx.page(
        "search.html",
        q=q,
        kind=kind,
        kinds=KINDS,
        sort=sort,
        sorts=SORTS,
        results=results,
        mod_ids=await comment_queries.moderated_ids(db, ctx.viewer),
        **ctx.paging(kept, more=full),
    )
