"""Uploads in 1.0's names: POST /image, its health, and the media lists and deletes of members and admins.

The images are api.pictrs's: the same storage, size cap, decoding and rows as v3's /pictrs/image, served back at
/pictrs/image/NAME. 1.0 deletes by file name alone (no delete token): a member their own uploads, an admin any.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import pictrs
from agora.api.v4 import paging
from agora.api.v4.shapes.base import Form, Limit, Shape, SuccessResponse
from agora.api.v4.shapes.objects import person_json
from agora.deps import MESSAGE, Admin, AppState, Member, ReadDb, State, WriteDb, rate_limited
from agora.media import uploads
from agora.queries import images
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: media"])
IMAGE = rate_limited("image")


class UploadImageResponse(Shape):
    image_url: str
    filename: str


class ListMedia(Form):
    page_cursor: str | None = Field(None, max_length=40)
    limit: Limit | None = None


class DeleteImageParams(Form):
    filename: str = Field(max_length=200)


def upload_response(state: AppState, name: str) -> Response:
    return json_response({"image_url": pictrs.image_url(state, name), "filename": name})


@router.post("/image", response_model=UploadImageResponse, dependencies=[IMAGE])
async def upload_image(request: Request, member: Member, db: WriteDb, state: State) -> Response:
    """Every image sent is kept (as Lemmy keeps them, to be listed and deleted); the answer names the last."""
    stored = await pictrs.store_images(
        db, state, await pictrs.receive_images(request, state), local_user_id=member.local_user_id
    )
    return upload_response(state, stored[-1].name)


@router.get("/image/health", response_model=SuccessResponse)
async def image_health(state: State) -> Response:
    """Agora stores images itself (1.0 asks its pict-rs here): 503 service_unavailable while its media store
    cannot be used (an S3 bucket that does not answer), else success."""
    await pictrs.storage(state).check()
    return json_response(SUCCESS)


def _view(image: dict[str, Any], person: dict[str, Any]) -> dict[str, Any]:
    local_image = {"pictrs_alias": image["name"], "published_at": image["published"], "person_id": person["id"]}
    return {"local_image": local_image, "person": person_json(person)}


async def _listing(db: AsyncSession, params: ListMedia, local_user_id: int | None) -> Response:
    limit = paging.limit_of(params.limit, default=10)
    page = paging.offset_page(params.page_cursor)
    found = await images.uploads(db, local_user_id=local_user_id, page=page, limit=limit)
    return json_response(paging.offset_paged([_view(image, person) for image, person in found], page, limit))


@router.get("/account/media/list", dependencies=[MESSAGE])
async def list_media(params: Annotated[ListMedia, Query()], member: Member, db: ReadDb) -> Response:
    return await _listing(db, params, member.local_user_id)


@router.get("/image/list", dependencies=[MESSAGE])
async def admin_list_media(params: Annotated[ListMedia, Query()], admin: Admin, db: ReadDb) -> Response:
    return await _listing(db, params, None)


@router.delete("/account/media", response_model=SuccessResponse, dependencies=[MESSAGE])
async def delete_media(form: DeleteImageParams, member: Member, db: WriteDb, state: State) -> Response:
    await uploads.remove_named(db, pictrs.storage(state), form.filename, local_user_id=member.local_user_id)
    return json_response(SUCCESS)


@router.delete("/image", response_model=SuccessResponse, dependencies=[MESSAGE])
async def admin_delete_media(form: DeleteImageParams, admin: Admin, db: WriteDb, state: State) -> Response:
    await uploads.remove_named(db, pictrs.storage(state), form.filename, local_user_id=None)
    return json_response(SUCCESS)
