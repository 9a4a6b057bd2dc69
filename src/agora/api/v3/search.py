"""GET /search: posts and comments by full-text relevance, communities and people by name, posts by URL."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api import lookups
from agora.api.v3.paging import paging
from agora.api.v3.shapes.search import Search, SearchResponse
from agora.api.v3.shapes.views import comment_view_json, community_view_json, person_view_json, post_view_json
from agora.deps import Here, ReadDb, Reader, rate_limited
from agora.queries import search
from agora.responses import json_response

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResponse, dependencies=[rate_limited("search")])
async def search_everything(params: Annotated[Search, Query()], db: ReadDb, viewer: Reader, here: Here) -> Response:
    page, limit = paging(params.page, params.limit, default=10)
    community_id = await lookups.listed_community_id(db, here, params.community_id, params.community_name)
    kind = params.type_ or "All"
    s = search.SearchQuery(
        q=params.q,
        listing_type=params.listing_type or "All",
        sort=params.sort,
        title_only=bool(params.post_title_only),
        community_id=community_id,
        creator_id=params.creator_id,
        show_nsfw=bool(viewer and viewer.show_nsfw),
        page=page,
        limit=limit,
    )
    body: dict = {"type_": kind, "comments": [], "posts": [], "communities": [], "users": []}
    if kind in ("All", "Posts"):
        body["posts"] = [post_view_json(v) for v in await search.posts(db, viewer, s)]
    if kind == "Url":
        body["posts"] = [post_view_json(v) for v in await search.posts(db, viewer, s, url_only=True)]
    if kind in ("All", "Comments"):
        body["comments"] = [comment_view_json(v) for v in await search.comments(db, viewer, s)]
    scoped = community_id is not None or params.creator_id is not None
    if kind in ("All", "Communities") and not scoped:
        body["communities"] = [community_view_json(v) for v in await search.communities(db, viewer, s)]
    if kind in ("All", "Users") and not scoped:
        body["users"] = [person_view_json(v) for v in await search.persons(db, s)]
    return json_response(body)
