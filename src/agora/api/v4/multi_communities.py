"""/multi_community/*: Lemmy 1.0's multi-communities (feeds): create, edit, read, list, entries, follow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.communities import community_response
from agora.api.v4.shapes import multi_communities as shapes
from agora.api.v4.shapes.base import SuccessResponse
from agora.api.v4.shapes.communities import CommunityResponse
from agora.api.v4.shapes.views import community_view_json
from agora.deps import MESSAGE, Here, Member, ReadDb, Reader, WriteDb, rate_limited
from agora.domain import multi_communities
from agora.queries import communities as community_queries
from agora.queries import multi_communities as multi_queries
from agora.queries.viewer import Viewer
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: multi_community"])


async def multi_response(db: AsyncSession, viewer: Viewer, multi_id: int) -> Response:
    view = await multi_queries.get_view(db, viewer, multi_id=multi_id)
    return json_response({"multi_community_view": shapes.multi_view_json(view)})


def _texts(form: shapes.CreateMultiCommunity | shapes.EditMultiCommunity) -> multi_communities.MultiForm:
    return multi_communities.MultiForm(title=form.title, summary=form.summary, sidebar=form.sidebar)


@router.post("/multi_community", response_model=shapes.MultiCommunityResponse, dependencies=[rate_limited("post")])
async def create_multi_community(
    form: shapes.CreateMultiCommunity, member: Member, db: WriteDb, here: Here
) -> Response:
    multi = await multi_communities.create(db, here, member, form.name, _texts(form))
    return await multi_response(db, member, multi.id)


@router.put("/multi_community", response_model=shapes.MultiCommunityResponse, dependencies=[MESSAGE])
async def edit_multi_community(form: shapes.EditMultiCommunity, member: Member, db: WriteDb, here: Here) -> Response:
    await multi_communities.edit(db, here, member, form.id, _texts(form), form.deleted)
    return await multi_response(db, member, form.id)


@router.get("/multi_community", response_model=shapes.GetMultiCommunityResponse, dependencies=[MESSAGE])
async def get_multi_community(
    params: Annotated[shapes.GetMultiCommunity, Query()], db: ReadDb, viewer: Reader
) -> Response:
    view = await multi_queries.get_view(db, viewer, multi_id=params.id, name=params.name)
    ids = await multi_queries.community_ids(db, view.multi["id"])
    listed = await community_queries.views_by_ids(db, viewer, ids)
    return json_response(
        {"multi_community_view": shapes.multi_view_json(view), "communities": [community_view_json(c) for c in listed]}
    )


@router.post("/multi_community/entry", response_model=CommunityResponse, dependencies=[MESSAGE])
async def create_multi_community_entry(
    form: shapes.CreateOrDeleteMultiCommunityEntry, member: Member, db: WriteDb
) -> Response:
    await multi_communities.add_entry(db, member, form.id, form.community_id)
    return await community_response(db, member, form.community_id)


@router.delete("/multi_community/entry", response_model=SuccessResponse, dependencies=[MESSAGE])
async def delete_multi_community_entry(
    form: shapes.CreateOrDeleteMultiCommunityEntry, member: Member, db: WriteDb
) -> Response:
    await multi_communities.remove_entry(db, member, form.id, form.community_id)
    return json_response(SUCCESS)


@router.get("/multi_community/list", response_model=shapes.PagedMultiCommunities, dependencies=[MESSAGE])
async def list_multi_communities(
    params: Annotated[shapes.ListMultiCommunities, Query()], db: ReadDb, viewer: Reader
) -> Response:
    limit = paging.limit_of(params.limit, default=20)
    page = paging.offset_page(params.page_cursor)
    query = multi_queries.MultiQuery(
        listing_type=params.type_ or "all",
        sort=params.sort or "new",
        creator_id=params.creator_id,
        time_range_seconds=params.time_range_seconds,
        search_term=params.search_term,
        search_title_only=bool(params.search_title_only),
        page=page,
        limit=limit,
    )
    items = [shapes.multi_view_json(view) for view in await multi_queries.list_views(db, viewer, query)]
    return json_response(paging.offset_paged(items, page, limit))


@router.post("/multi_community/follow", response_model=shapes.MultiCommunityResponse, dependencies=[MESSAGE])
async def follow_multi_community(form: shapes.FollowMultiCommunity, member: Member, db: WriteDb) -> Response:
    await multi_communities.follow(db, member, form.multi_community_id, form.follow)
    return await multi_response(db, member, form.multi_community_id)
