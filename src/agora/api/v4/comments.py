"""/comment/*: lists, read, create, edit, delete, vote, save."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shared_routes import per_face
from agora.api.v4 import paging
from agora.api.v4.shapes import comments as shapes
from agora.api.v4.shapes.enums import comment_sort, listing_type
from agora.api.v4.shapes.views import comment_view_json
from agora.deps import MESSAGE, Here, ReadDb, Reader
from agora.errors import AgoraError, Code
from agora.queries import comments as comment_queries
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["v4: comment"])


async def comment_response(db: AsyncSession, viewer: Viewer | None, comment_id: int) -> Response:
    return json_response({"comment_view": comment_view_json(await lookups.comment(db, viewer, comment_id))})


COMMENT_ANSWER = per_face.CommentAnswer(comment_response, shapes.CommentResponse)


@router.get("/comment/list", response_model=shapes.PagedComments, dependencies=[MESSAGE])
async def list_comments(
    params: Annotated[shapes.GetComments, Query()], db: ReadDb, viewer: Reader, here: Here
) -> Response:
    limit = paging.limit_of(params.limit, default=50)
    cursor = paging.read_cursor(params.page_cursor)
    cursor_id = paging.keyset_id(cursor)
    if cursor_id is not None and params.max_depth is not None:
        raise AgoraError(Code.invalid_body_field, "a comment tree (max_depth) is read whole, without page_cursor")
    community_id = await lookups.listed_community_id(db, here, params.community_id, params.community_name)
    views = await comment_queries.list_comments(
        db,
        viewer,
        comment_queries.CommentQuery(
            listing_type=listing_type(params.type_) or "All",
            sort=comment_sort(params.sort) or "Hot",
            max_depth=params.max_depth,
            limit=limit,
            community_id=community_id,
            post_id=params.post_id,
            parent_id=params.parent_id,
            cursor_id=cursor_id,
            page_back=paging.going_back(cursor),
        ),
    )
    items = [comment_view_json(v) for v in views]
    if params.max_depth is not None:  # a tree comes whole (up to its cap), with no pages
        return json_response(paging.paged(items))
    keys = [str(view.comment["id"]) for view in views]
    return json_response(paging.keyset_paged(items, keys, limit, cursor))


router.include_router(
    per_face.comment_router(COMMENT_ANSWER, delete=per_face.Route("DELETE", "/comment"), like=shapes.CreateCommentLike)
)
