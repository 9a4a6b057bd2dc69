"""/person, /person/content and the member's own combined lists (/account/saved, /account/liked)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.v4 import paging
from agora.api.v4.shapes import persons as shapes
from agora.api.v4.shapes.views import comment_view_json, moderator_view_json, person_view_json, post_view_json
from agora.deps import MESSAGE, Here, Member, ReadDb, Reader, State
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import community_tags as tag_queries
from agora.queries import person_notes, post_listings
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["v4: person"])


@router.get("/person", response_model=shapes.GetPersonDetailsResponse, dependencies=[MESSAGE])
async def get_person_details(
    params: Annotated[shapes.GetPersonDetails, Query()], viewer: Reader, db: ReadDb, here: Here, state: State
) -> Response:
    person_id = await lookups.person_id_of(db, viewer, here, state, params.person_id, params.username)
    view = await lookups.person(db, person_id)
    moderates = await community_queries.moderated_by(db, viewer, person_id)
    notes = await person_notes.notes_by(db, viewer, [person_id])
    return json_response(
        {
            "person_view": person_view_json(view, notes.get(person_id)),
            "moderates": [moderator_view_json(m) for m in moderates],
            "multi_communities_created": [],
        }
    )


async def _combined(
    db: AsyncSession,
    viewer: Viewer | None,
    kind: str | None,
    page_cursor: str | None,
    limit: int | None,
    variants: tuple[dict[str, Any], ...],
) -> Response:
    """Posts and comments in one list, newest first, offset-paged (see paging.merged_page); each of `variants`
    (query filters) reads both, so liked and disliked together are four parts."""
    limit = paging.limit_of(limit)
    page = paging.offset_page(page_cursor)
    window = paging.merged_window(page, limit)
    parts = []
    for filters in variants:
        if kind in (None, "all", "posts"):
            post_query = post_listings.PostQuery(
                listing_type="All",
                sort="New",
                show_hidden=True,
                show_read=True,
                show_nsfw=True if viewer is None else None,
                limit=window,
                keep_deleted_of_creator=filters.get("creator_id") is not None,
                **filters,
            )
            found = await post_listings.list_posts(db, viewer, post_query)
            await tag_queries.attach_to_posts(db, found.posts)
            parts.append([{"type_": "post", **post_view_json(v)} for v in found.posts])
        if kind in (None, "all", "comments"):
            comment_query = comment_queries.CommentQuery(listing_type="All", sort="New", limit=window, **filters)
            views = await comment_queries.list_comments(db, viewer, comment_query)
            parts.append([{"type_": "comment", **comment_view_json(v)} for v in views])
    items = paging.merged_page(parts, page, limit, key=_published)
    return json_response(paging.offset_paged(items, page, limit))


def _published(item: dict) -> tuple:
    row = item["comment"] if item["type_"] == "comment" else item["post"]
    return (row["published_at"], item["type_"], row["id"])


@router.get("/person/content", response_model=shapes.PagedPostsAndComments, dependencies=[MESSAGE])
async def list_person_content(
    params: Annotated[shapes.ListPersonContent, Query()], viewer: Reader, db: ReadDb, here: Here, state: State
) -> Response:
    person_id = await lookups.person_id_of(db, viewer, here, state, params.person_id, params.username)
    variant = {"creator_id": person_id, "community_id": params.community_id}
    return await _combined(db, viewer, params.type_, params.page_cursor, params.limit, (variant,))


@router.get("/account/saved", response_model=shapes.PagedPostsAndComments, dependencies=[MESSAGE])
async def list_saved(params: Annotated[shapes.ListPersonSaved, Query()], member: Member, db: ReadDb) -> Response:
    return await _combined(db, member, params.type_, params.page_cursor, params.limit, ({"saved_only": True},))


@router.get("/account/liked", response_model=shapes.PagedPostsAndComments, dependencies=[MESSAGE])
async def list_liked(params: Annotated[shapes.ListPersonLiked, Query()], member: Member, db: ReadDb) -> Response:
    like = params.like_type or "all"
    variants = tuple(
        {"liked_only": name == "liked_only", "disliked_only": name == "disliked_only"}
        for name in ("liked_only", "disliked_only")
        if like in ("all", name)
    )
    return await _combined(db, member, params.type_, params.page_cursor, params.limit, variants)
