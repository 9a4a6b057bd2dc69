"""The member's own marked posts in 1.0's names: /account/read and /account/hidden, newest mark first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes.base import CursorPaging
from agora.api.v4.shapes.posts import PagedPosts
from agora.api.v4.shapes.views import post_view_json
from agora.deps import MESSAGE, Member, ReadDb
from agora.queries import community_tags as tag_queries
from agora.queries import marked_posts
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["v4: account"])


async def _marked(db: AsyncSession, member: Viewer, mark: marked_posts.Mark, params: CursorPaging) -> Response:
    limit = paging.limit_of(params.limit)
    cursor = paging.read_cursor(params.page_cursor)
    views = await marked_posts.list_marked(
        db,
        member,
        mark,
        limit=limit,
        cursor_post_id=paging.keyset_id(cursor),
        back=paging.going_back(cursor),
    )
    await tag_queries.attach_to_posts(db, views)
    return json_response(paging.keyset_views(views, post_view_json, lambda view: view.post["id"], limit, cursor))


@router.get("/account/read", response_model=PagedPosts, dependencies=[MESSAGE])
async def list_read(params: Annotated[CursorPaging, Query()], member: Member, db: ReadDb) -> Response:
    """The posts the member marked read (ListPersonRead)."""
    return await _marked(db, member, "read", params)


@router.get("/account/hidden", response_model=PagedPosts, dependencies=[MESSAGE])
async def list_hidden(params: Annotated[CursorPaging, Query()], member: Member, db: ReadDb) -> Response:
    """The posts the member hid (ListPersonHidden)."""
    return await _marked(db, member, "hidden", params)
