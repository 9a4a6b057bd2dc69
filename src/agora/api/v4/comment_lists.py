"""/comment/list/slim: /comment/list's answer, each comment without its post and community.

It calls /comment/list's own handler, so the two never differ in filters, pages or errors; the comment query
reads each comment's post and community either way, so only their JSON is saved."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.v4 import comments
from agora.api.v4.shapes.comments import GetComments
from agora.api.v4.shapes.lists import PagedCommentsSlim, slim_comment_view
from agora.deps import MESSAGE, Here, ReadDb, Reader
from agora.responses import json_response

router = APIRouter(tags=["v4: comment"])


@router.get("/comment/list/slim", response_model=PagedCommentsSlim, dependencies=[MESSAGE])
async def list_comments_slim(
    params: Annotated[GetComments, Query()], db: ReadDb, viewer: Reader, here: Here
) -> Response:
    listed = orjson.loads(bytes((await comments.list_comments(params, db, viewer, here)).body))
    listed["items"] = [slim_comment_view(item) for item in listed["items"]]
    return json_response(listed)
