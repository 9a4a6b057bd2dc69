"""1.0's direct uploads of avatars, banners and icons: POST stores the image and sets it, DELETE clears it.

A member sets their own avatar and banner, a community's moderators (or an admin) its icon and banner, admins the
site's. The setting goes through the same domain write as v3's settings, community and site edits, so it
federates as they do (Update of the person or group); the image given up is released as v3 releases it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.background import BackgroundTask
from starlette.responses import Response

from agora.api import pictrs
from agora.api.v4.media import UploadImageResponse, upload_response
from agora.api.v4.shapes.base import Form, Id, SuccessResponse
from agora.core.instance import LocalInstance
from agora.deps import MESSAGE, Admin, AppState, Here, Member, State, Viewer, WriteDb, rate_limited
from agora.domain import communities, site_settings, user_settings
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: media"])
IMAGE = rate_limited("image")
Setter = Callable[[str], Awaitable[object]]  # sets the image's address ("" clears it)
UPLOADED: dict[str, Any] = {"response_model": UploadImageResponse, "dependencies": [IMAGE]}
CLEARED: dict[str, Any] = {"response_model": SuccessResponse, "dependencies": [MESSAGE]}


class CommunityIdQuery(Form):
    id: Id


async def _upload(request: Request, db: AsyncSession, state: AppState, uploader: Viewer, apply: Setter) -> Response:
    """Store the last image sent as `uploader`'s, then set it; a refused setting stores nothing."""
    processed = await pictrs.receive_images(request, state)
    stored = await pictrs.store_images(db, state, processed[-1:], local_user_id=uploader.local_user_id)
    try:
        await apply(pictrs.image_url(state, stored[0].name))
    except BaseException:
        pictrs.discard(state, stored)
        raise
    await pictrs.release_noted(db, state)
    return upload_response(state, stored[0].name)


async def _clear(db: AsyncSession, state: AppState, apply: Setter) -> Response:
    await apply("")
    await pictrs.release_noted(db, state)
    return json_response(SUCCESS)


def _site_changed(response: Response, state: AppState) -> Response:
    response.background = BackgroundTask(state.site_cache.invalidate)  # after the commit, as the site edit does
    return response


def _member_routes(field: str) -> None:
    """POST and DELETE /account/<field>: the member's own avatar or banner."""

    def setter(db: AsyncSession, member: Viewer) -> Setter:
        return lambda url: user_settings.save(db, member, {field: url})

    @router.post(f"/account/{field}", name=f"upload_user_{field}", **UPLOADED)
    async def upload(request: Request, member: Member, db: WriteDb, state: State) -> Response:
        return await _upload(request, db, state, member, setter(db, member))

    @router.delete(f"/account/{field}", name=f"delete_user_{field}", **CLEARED)
    async def clear(member: Member, db: WriteDb, state: State) -> Response:
        return await _clear(db, state, setter(db, member))


def _community_routes(field: str) -> None:
    """POST /community/<field>?id= and DELETE with {id}: a community's icon or banner, by its moderators."""

    def setter(db: AsyncSession, member: Viewer, community_id: int) -> Setter:
        return lambda url: communities.edit(db, member, community_id, {field: url})

    @router.post(f"/community/{field}", name=f"upload_community_{field}", **UPLOADED)
    async def upload(
        query: Annotated[CommunityIdQuery, Query()], request: Request, member: Member, db: WriteDb, state: State
    ) -> Response:
        return await _upload(request, db, state, member, setter(db, member, query.id))

    @router.delete(f"/community/{field}", name=f"delete_community_{field}", **CLEARED)
    async def clear(form: CommunityIdQuery, member: Member, db: WriteDb, state: State) -> Response:
        return await _clear(db, state, setter(db, member, form.id))


def _site_routes(field: str) -> None:
    """POST and DELETE /site/<field>: the site's icon or banner, by admins."""

    def setter(db: AsyncSession, here: LocalInstance, admin: Viewer) -> Setter:
        return lambda url: site_settings.edit(db, here, admin, {field: url})

    @router.post(f"/site/{field}", name=f"upload_site_{field}", **UPLOADED)
    async def upload(request: Request, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
        return _site_changed(await _upload(request, db, state, admin, setter(db, here, admin)), state)

    @router.delete(f"/site/{field}", name=f"delete_site_{field}", **CLEARED)
    async def clear(admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
        return _site_changed(await _clear(db, state, setter(db, here, admin)), state)


for _field in ("avatar", "banner"):
    _member_routes(_field)
for _field in ("icon", "banner"):
    _community_routes(_field)
    _site_routes(_field)
