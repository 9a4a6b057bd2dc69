"""/community/hide: an admin hides a community from listings or shows it again; both faces answer success."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.shapes.base import SuccessResponse
from agora.api.shapes.moderation import HideCommunity
from agora.deps import MESSAGE, Member, WriteDb
from agora.domain import moderation
from agora.responses import SUCCESS, json_response

router = APIRouter()


@router.put("/community/hide", response_model=SuccessResponse, dependencies=[MESSAGE])
async def hide_community(form: HideCommunity, member: Member, db: WriteDb) -> Response:
    await moderation.hide_community(db, member, form.community_id, form.hidden, form.reason)
    return json_response(SUCCESS)
