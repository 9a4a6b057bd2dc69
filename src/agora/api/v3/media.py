"""/account/list_media and /admin/list_all_media: uploaded images with their delete tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api.v3.paging import paging
from agora.api.v3.shapes.media import ListMedia, ListMediaResponse, local_image_view_json
from agora.deps import Admin, Member, ReadDb
from agora.queries import images
from agora.responses import json_response

router = APIRouter(tags=["media"])


async def _listing(db: AsyncSession, params: ListMedia, local_user_id: int | None) -> Response:
    page, limit = paging(params.page, params.limit, default=10)
    found = await images.uploads(db, local_user_id=local_user_id, page=page, limit=limit)
    return json_response({"images": [local_image_view_json(image, person) for image, person in found]})


@router.get("/account/list_media", response_model=ListMediaResponse)
async def list_media(params: Annotated[ListMedia, Query()], member: Member, db: ReadDb) -> Response:
    return await _listing(db, params, member.local_user_id)


@router.get("/admin/list_all_media", response_model=ListMediaResponse)
async def list_all_media(params: Annotated[ListMedia, Query()], admin: Admin, db: ReadDb) -> Response:
    return await _listing(db, params, None)
