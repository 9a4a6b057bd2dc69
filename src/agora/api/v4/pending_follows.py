"""/community/pending_follows/*: the moderators of a Private community approve or deny who may follow it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes import pending_follows as shapes
from agora.api.v4.shapes.base import SuccessResponse
from agora.deps import MESSAGE, Member, ReadDb, WriteDb
from agora.domain import pending_follows
from agora.queries import pending_follows as pending_follow_queries
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: community"])


@router.get("/community/pending_follows/list", response_model=shapes.PagedPendingFollows, dependencies=[MESSAGE])
async def list_community_pending_follows(
    params: Annotated[shapes.ListCommunityPendingFollows, Query()], member: Member, db: ReadDb
) -> Response:
    limit = paging.limit_of(params.limit)
    cursor = paging.read_cursor(params.page_cursor)
    f = pending_follow_queries.PendingFollowFilter(
        pending_only=bool(params.unread_only),
        all_communities=bool(params.all_communities),
        limit=limit,
        cursor_id=paging.keyset_id(cursor),
        page_back=paging.going_back(cursor),
    )
    items = await pending_follow_queries.pending_follows(db, member, f)
    return json_response(
        paging.keyset_views(items, shapes.pending_follower_view_json, lambda item: item.follow_id, limit, cursor)
    )


@router.post("/community/pending_follows/approve", response_model=SuccessResponse, dependencies=[MESSAGE])
async def approve_community_pending_follow(
    form: shapes.ApproveCommunityPendingFollower, member: Member, db: WriteDb
) -> Response:
    await pending_follows.decide(db, member, form.community_id, form.follower_id, form.approve)
    return json_response(SUCCESS)
