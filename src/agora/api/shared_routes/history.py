"""GET /post/history, /comment/history, /private_message/history: an item's edit history (an Agora extension).

Whoever may read the item may read its history (queries.edit_history); an item the reader may not see is answered
as Lemmy answers an unknown id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.shapes import history as shapes
from agora.deps import Member, ReadDb, Reader, rate_limited
from agora.errors import AgoraError, Code
from agora.queries import edit_history
from agora.queries.edit_history import Kind, VersionItem
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter()
MESSAGE = rate_limited("message")
EDITOR_FIELDS = tuple(shapes.VersionEditor.model_fields)


def version_json(version: VersionItem) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": version.id,
        "name": version.name,
        "body": version.body,
        "url": version.url,
        "nsfw": version.nsfw,
        "published": version.published,
        "replaced_at": version.replaced_at,
    }
    if version.editor is not None:
        shown["edited_by"] = {name: version.editor[name] for name in EDITOR_FIELDS}
    return {name: value for name, value in shown.items() if value is not None}


async def _history(db: ReadDb, viewer: Viewer | None, kind: Kind, item_id: int, unknown: Code) -> Response:
    found = await edit_history.readable_versions(db, viewer, kind, item_id)
    if found is None:
        raise AgoraError(unknown)
    return json_response({"versions": [version_json(v) for v in found]})


@router.get("/post/history", response_model=shapes.EditHistoryResponse, dependencies=[MESSAGE])
async def post_history(params: Annotated[shapes.GetPostHistory, Query()], db: ReadDb, viewer: Reader) -> Response:
    return await _history(db, viewer, "post", params.post_id, Code.couldnt_find_post)


@router.get("/comment/history", response_model=shapes.EditHistoryResponse, dependencies=[MESSAGE])
async def comment_history(params: Annotated[shapes.GetCommentHistory, Query()], db: ReadDb, viewer: Reader) -> Response:
    return await _history(db, viewer, "comment", params.comment_id, Code.couldnt_find_comment)


@router.get("/private_message/history", response_model=shapes.EditHistoryResponse, dependencies=[MESSAGE])
async def private_message_history(
    params: Annotated[shapes.GetPrivateMessageHistory, Query()], db: ReadDb, member: Member
) -> Response:
    return await _history(db, member, "message", params.private_message_id, Code.couldnt_find_private_message)
