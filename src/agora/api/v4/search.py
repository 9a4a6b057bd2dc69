"""/search and /resolve_object."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from starlette.responses import Response

from agora.api import lookups
from agora.api.v4 import paging
from agora.api.v4.shapes.base import CommunityListing, Form, Id, Shape
from agora.api.v4.shapes.enums import ListingType, listing_type
from agora.api.v4.shapes.multi_communities import multi_view_json
from agora.api.v4.shapes.views import comment_view_json, community_view_json, person_view_json, post_view_json
from agora.deps import MESSAGE, Here, ReadDb, Reader, State, rate_limited
from agora.errors import AgoraError, Code
from agora.federation import fetch
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import community_tags as tag_queries
from agora.queries import multi_communities as multi_queries
from agora.queries import persons as person_queries
from agora.queries import posts as post_queries
from agora.queries import search
from agora.responses import json_response

router = APIRouter(tags=["v4: search"])


class Search(CommunityListing):
    search_term: str = Field(max_length=1000)
    creator_id: Id | None = None
    type_: Literal["all", "comments", "posts", "communities", "users", "multi_communities"] | None = None
    listing_type: ListingType | None = None
    title_only: bool | None = None
    post_url_only: bool | None = None
    show_nsfw: bool | None = None


class SearchResponse(Shape):
    comments: list[dict]
    posts: list[dict]
    communities: list[dict]
    persons: list[dict]
    multi_communities: list[dict]
    next_page: str | None = None
    prev_page: str | None = None


class ResolveObject(Form):
    q: str = Field(max_length=2000)


@router.get("/search", response_model=SearchResponse, dependencies=[rate_limited("search")])
async def search_everything(params: Annotated[Search, Query()], db: ReadDb, viewer: Reader, here: Here) -> Response:
    limit = paging.limit_of(params.limit, default=10)
    page = paging.offset_page(params.page_cursor)
    community_id = await lookups.listed_community_id(db, here, params.community_id, params.community_name)
    kind = params.type_ or "all"
    show_nsfw = params.show_nsfw if params.show_nsfw is not None else bool(viewer and viewer.show_nsfw)
    s = search.SearchQuery(
        q=params.search_term,
        listing_type=listing_type(params.listing_type) or "All",
        title_only=bool(params.title_only),
        community_id=community_id,
        creator_id=params.creator_id,
        show_nsfw=show_nsfw,
        page=page,
        limit=limit,
    )
    body: dict = {"comments": [], "posts": [], "communities": [], "persons": [], "multi_communities": []}
    if kind in ("all", "posts"):
        found = await search.posts(db, viewer, s, url_only=bool(params.post_url_only))
        await tag_queries.attach_to_posts(db, found)
        body["posts"] = [post_view_json(v) for v in found]
    if kind in ("all", "comments") and not params.post_url_only:
        body["comments"] = [comment_view_json(v) for v in await search.comments(db, viewer, s)]
    scoped = community_id is not None or params.creator_id is not None
    if kind in ("all", "communities") and not scoped:
        community_views = await search.communities(db, viewer, s)
        await tag_queries.attach_to_communities(db, community_views)
        body["communities"] = [community_view_json(v) for v in community_views]
    if kind in ("all", "users") and not scoped:
        body["persons"] = [person_view_json(v) for v in await search.persons(db, s)]
    if kind in ("all", "multi_communities") and not scoped:
        q = multi_queries.MultiQuery(
            search_term=params.search_term, search_title_only=s.title_only, sort="subscribers", page=page, limit=limit
        )
        body["multi_communities"] = [multi_view_json(v) for v in await multi_queries.list_views(db, viewer, q)]
    full = any(len(body[k]) >= limit for k in ("posts", "comments", "communities", "persons", "multi_communities"))
    if full:
        body["next_page"] = f"{paging.OFFSET}{page + 1}"
    if page > 1:
        body["prev_page"] = f"{paging.OFFSET}{page - 1}"
    return json_response(body)


@router.get("/resolve_object", dependencies=[MESSAGE])
async def resolve_object(params: Annotated[ResolveObject, Query()], viewer: Reader, state: State) -> Response:
    """A URL or `!community@host` / `@person@host`; only logged-in callers make us fetch what we do not have."""
    kind, found = await fetch.resolve(state, params.q, fetch=viewer is not None, feeds=True)
    body: dict | None
    async with state.db.read() as db:
        if kind == "multi_community":
            multi = await multi_queries.get_view(db, viewer, multi_id=found)
            body = {"type_": "multi_community", **multi_view_json(multi)}
        elif kind == "post":
            post = await post_queries.visible_post_view(db, viewer, found)
            if post:
                await tag_queries.attach_to_posts(db, [post])
            body = {"type_": "post", **post_view_json(post)} if post else None
        elif kind == "comment":
            comment = await comment_queries.get_comment_view(db, viewer, found)
            body = {"type_": "comment", **comment_view_json(comment)} if comment else None
        elif kind == "community":
            view = await community_queries.get_view(db, viewer, found)
            if view:
                await tag_queries.attach_to_communities(db, [view])
            body = {"type_": "community", **community_view_json(view)} if view else None
        else:
            person = await person_queries.get_view(db, found)
            body = {"type_": "person", **person_view_json(person)} if person else None
    if body is None:
        raise AgoraError(Code.couldnt_find_object)
    return json_response(body)
