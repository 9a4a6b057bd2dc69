"""/custom_emoji/delete: an admin deletes one of the site's custom emoji; both faces answer success."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.shapes.base import SuccessResponse
from agora.api.shapes.emojis import DeleteCustomEmoji
from agora.deps import MESSAGE, Admin, WriteDb
from agora.domain import custom_emojis
from agora.responses import SUCCESS, json_response

router = APIRouter()


@router.post("/custom_emoji/delete", response_model=SuccessResponse, dependencies=[MESSAGE])
async def delete_custom_emoji(form: DeleteCustomEmoji, admin: Admin, db: WriteDb) -> Response:
    await custom_emojis.remove(db, admin, form.id)
    return json_response(SUCCESS)
