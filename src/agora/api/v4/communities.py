"""/community/*: read, list, create, edit, follow."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shared_routes import per_face, reads
from agora.api.v4 import paging
from agora.api.v4.shapes import communities as shapes
from agora.api.v4.shapes.enums import community_sort, listing_type
from agora.api.v4.shapes.views import community_view_json, moderator_view_json, with_notifications
from agora.deps import MESSAGE, Here, Member, ReadDb, Reader, WriteDb, rate_limited
from agora.domain import communities
from agora.errors import AgoraError, Code
from agora.queries import communities as community_queries
from agora.queries import community_tags as tag_queries
from agora.queries import notification_modes as mode_queries
from agora.queries.viewer import Viewer
from agora.queries.views import CommunityItem
from agora.responses import json_response

router = APIRouter(tags=["v4: community"])
# 1.0's visibilities Agora keeps (0.19's two and Private); unlisted and local_only_private are refused
_VISIBILITY = {"public": "Public", "local_only_public": "LocalOnly", "private": "Private"}


def _changes(form: shapes.CreateCommunity | shapes.EditCommunity, exclude: set[str]) -> dict[str, Any]:
    changes = form.model_dump(exclude_unset=True, exclude=exclude)
    if "sidebar" in changes:
        changes["description"] = changes.pop("sidebar")
    if "visibility" in changes:
        if changes["visibility"] not in _VISIBILITY:
            raise AgoraError(Code.invalid_body_field, f"visibility {changes['visibility']} is not served yet")
        changes["visibility"] = _VISIBILITY[changes["visibility"]]
    return changes


async def community_response(db: AsyncSession, viewer: Viewer, community_id: int) -> Response:
    view = await lookups.community(db, viewer, community_id, any_state=True)
    await tag_queries.attach_to_communities(db, [view])
    languages = await community_queries.language_ids(db, community_id)
    return json_response({"community_view": community_view_json(view), "discussion_languages": languages})


COMMUNITY_ANSWER = per_face.Answer(community_response, shapes.CommunityResponse)


async def community_details(db: AsyncSession, viewer: Viewer | None, view: CommunityItem) -> Response:
    """GetCommunityResponse: the community with its moderators and languages."""
    community_id = view.community["id"]
    await tag_queries.attach_to_communities(db, [view])
    moderators = await community_queries.moderators(db, community_id)
    can_mod = viewer is not None and (viewer.admin or any(m.moderator["id"] == viewer.person_id for m in moderators))
    mode = await mode_queries.community_mode(db, viewer, community_id)
    return json_response(
        {
            "community_view": with_notifications(community_view_json(view, can_mod=can_mod), "community_actions", mode),
            "moderators": [moderator_view_json(m) for m in moderators],
            "discussion_languages": await community_queries.language_ids(db, community_id),
        }
    )


get_community = reads.get_community(community_details, shapes.GetCommunity)
router.get("/community", response_model=shapes.GetCommunityResponse, dependencies=[MESSAGE])(get_community)


@router.get("/community/list", response_model=shapes.PagedCommunities, dependencies=[MESSAGE])
async def list_communities(params: Annotated[shapes.ListCommunities, Query()], db: ReadDb, viewer: Reader) -> Response:
    limit = paging.limit_of(params.limit)
    cursor = paging.read_cursor(params.page_cursor)
    show_nsfw = params.show_nsfw if params.show_nsfw is not None else bool(viewer and viewer.show_nsfw)
    views = await community_queries.list_views(
        db,
        viewer,
        listing_type=listing_type(params.type_) or "All",
        sort=community_sort(params.sort),
        show_nsfw=show_nsfw,
        page=1,
        limit=limit,
        cursor_id=paging.keyset_id(cursor),
        page_back=paging.going_back(cursor),
    )
    await tag_queries.attach_to_communities(db, views)
    return json_response(
        paging.keyset_views(views, community_view_json, lambda view: view.community["id"], limit, cursor)
    )


@router.post("/community", response_model=shapes.CommunityResponse, dependencies=[rate_limited("register")])
async def create_community(form: shapes.CreateCommunity, member: Member, db: WriteDb, here: Here) -> Response:
    changes = _changes(form, set())
    changes.setdefault("title", form.name)  # optional in 1.0; Agora's rule needs one
    community = await communities.create(db, here, member, communities.CommunityForm(**changes))
    return await community_response(db, member, community.id)


@router.put("/community", response_model=shapes.CommunityResponse, dependencies=[MESSAGE])
async def edit_community(form: shapes.EditCommunity, member: Member, db: WriteDb) -> Response:
    await communities.edit(db, member, form.community_id, _changes(form, {"community_id"}))
    return await community_response(db, member, form.community_id)


@router.post("/community/follow", response_model=shapes.CommunityResponse, dependencies=[MESSAGE])
async def follow_community(form: shapes.FollowCommunity, member: Member, db: WriteDb) -> Response:
    await communities.follow(db, member, form.community_id, form.follow)
    return await community_response(db, member, form.community_id)
