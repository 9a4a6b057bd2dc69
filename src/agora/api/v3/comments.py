"""/comment/*: trees and lists, read, create, edit, delete, vote, save."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shared_routes import per_face
from agora.api.v3.shapes import comments as shapes
from agora.api.v3.shapes.views import comment_view_json, comment_views_json
from agora.deps import MESSAGE, Here, ReadDb, Reader
from agora.queries import comments as comment_queries
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["comment"])


async def comment_response(
    db: AsyncSession, viewer: Viewer | None, comment_id: int, recipient_ids: list[int] | None = None
) -> Response:
    view = await lookups.comment(db, viewer, comment_id)
    return json_response({"comment_view": comment_view_json(view), "recipient_ids": recipient_ids or []})


COMMENT_ANSWER = per_face.CommentAnswer(comment_response, shapes.CommentResponse, created=comment_response)


@router.get("/comment/list", response_model=shapes.GetCommentsResponse, dependencies=[MESSAGE])
async def list_comments(
    params: Annotated[shapes.GetComments, Query()], db: ReadDb, viewer: Reader, here: Here
) -> Response:
    community_id = await lookups.listed_community_id(db, here, params.community_id, params.community_name)
    # A post's or a subtree's comments are all of them; the listing type only narrows site-wide lists.
    listing_type = params.type_ or "All"
    views = await comment_queries.list_comments(
        db,
        viewer,
        comment_queries.CommentQuery(
            listing_type=listing_type,
            sort=params.sort or "Hot",
            max_depth=params.max_depth,
            page=params.page,
            limit=params.limit,
            community_id=community_id,
            post_id=params.post_id,
            parent_id=params.parent_id,
            saved_only=bool(params.saved_only),
            liked_only=bool(params.liked_only),
            disliked_only=bool(params.disliked_only),
        ),
    )
    return json_response({"comments": comment_views_json(views)})


router.include_router(
    per_face.comment_router(
        COMMENT_ANSWER, delete=per_face.Route("POST", "/comment/delete"), like=shapes.CreateCommentLike
    )
)
