"""/community/*: read, create, edit, delete, follow, block, moderators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups, pictrs
from agora.api.shared_routes import per_face, reads
from agora.api.v3.shapes import communities as shapes
from agora.api.v3.shapes.views import community_view_json, moderator_view_json
from agora.deps import MESSAGE, Here, Member, ReadDb, Reader, State, WriteDb, rate_limited
from agora.domain import blocks, communities
from agora.queries import communities as community_queries
from agora.queries import paging
from agora.queries.viewer import Viewer
from agora.queries.views import CommunityItem
from agora.responses import json_response

router = APIRouter(tags=["community"])


async def community_response(db: AsyncSession, viewer: Viewer, community_id: int) -> Response:
    view = await lookups.community(db, viewer, community_id, any_state=True)
    return json_response(
        {
            "community_view": community_view_json(view),
            "discussion_languages": await community_queries.language_ids(db, community_id),
        }
    )


COMMUNITY_ANSWER = per_face.Answer(community_response, shapes.CommunityResponse)


async def community_page(db: AsyncSession, viewer: Viewer | None, view: CommunityItem) -> Response:
    """GetCommunityResponse: the community with its moderators and languages."""
    community_id = view.community["id"]
    moderators = await community_queries.moderators(db, community_id)
    return json_response(
        {
            "community_view": community_view_json(view),
            "moderators": [moderator_view_json(m) for m in moderators],
            "discussion_languages": await community_queries.language_ids(db, community_id),
        }
    )


get_community = reads.get_community(community_page, shapes.GetCommunity)
router.get("/community", response_model=shapes.GetCommunityResponse, dependencies=[MESSAGE])(get_community)


@router.post("/community", response_model=shapes.CommunityResponse, dependencies=[rate_limited("register")])
async def create_community(form: shapes.CreateCommunity, member: Member, db: WriteDb, here: Here) -> Response:
    community = await communities.create(
        db, here, member, communities.CommunityForm(**form.model_dump(exclude_unset=True))
    )
    return await community_response(db, member, community.id)


@router.put("/community", response_model=shapes.CommunityResponse, dependencies=[MESSAGE])
async def edit_community(form: shapes.EditCommunity, member: Member, db: WriteDb, state: State) -> Response:
    changes = form.model_dump(exclude_unset=True, exclude={"community_id"})
    await communities.edit(db, member, form.community_id, changes)
    await pictrs.release_noted(db, state)
    return await community_response(db, member, form.community_id)


@router.post("/community/delete", response_model=shapes.CommunityResponse, dependencies=[MESSAGE])
async def delete_community(form: shapes.DeleteCommunity, member: Member, db: WriteDb, here: Here) -> Response:
    await communities.set_deleted(db, here, member, form.community_id, form.deleted)
    return await community_response(db, member, form.community_id)


@router.post("/community/follow", response_model=shapes.CommunityResponse, dependencies=[MESSAGE])
async def follow_community(form: shapes.FollowCommunity, member: Member, db: WriteDb) -> Response:
    await communities.follow(db, member, form.community_id, form.follow)
    return await community_response(db, member, form.community_id)


@router.post("/community/block", response_model=shapes.BlockCommunityResponse, dependencies=[MESSAGE])
async def block_community(form: shapes.BlockCommunity, member: Member, db: WriteDb) -> Response:
    await blocks.block_community(db, member, form.community_id, form.block)
    view = await lookups.community(db, member, form.community_id)
    return json_response({"community_view": community_view_json(view), "blocked": form.block})


@router.get("/community/list", response_model=shapes.ListCommunitiesResponse, dependencies=[MESSAGE])
async def list_communities(params: Annotated[shapes.ListCommunities, Query()], db: ReadDb, viewer: Reader) -> Response:
    page, limit = paging.check_page(params.page, params.limit)
    show_nsfw = params.show_nsfw if params.show_nsfw is not None else bool(viewer and viewer.show_nsfw)
    views = await community_queries.list_views(
        db,
        viewer,
        listing_type=params.type_ or "All",
        sort=params.sort or "Hot",
        show_nsfw=show_nsfw,
        page=page,
        limit=limit,
    )
    return json_response({"communities": [community_view_json(v) for v in views]})


router.include_router(
    per_face.staff_router(
        per_face.ViewAnswer(community_view_json, shapes.GetCommunityResponse),
        per_face.ViewAnswer(moderator_view_json, shapes.AddModToCommunityResponse),
    )
)
