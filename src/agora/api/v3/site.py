"""/site: the site view, and its setup and edits by admins."""

from __future__ import annotations

import orjson
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import pictrs
from agora.api.v3.shapes import site as shapes
from agora.api.v3.shapes.accounts import BlockInstance, BlockInstanceResponse
from agora.core.instance import LocalInstance
from agora.deps import MESSAGE, Admin, AppState, Here, MaybeViewer, Member, ReadDb, State, WriteDb
from agora.domain import blocks, site_settings
from agora.queries import site as site_queries
from agora.responses import OPTIONS, json_response

router = APIRouter(tags=["site"])


@router.get("/site", response_model=shapes.GetSiteResponse, dependencies=[MESSAGE])
async def get_site(db: ReadDb, viewer: MaybeViewer, here: Here, state: State) -> Response:
    async def site_part() -> dict[str, orjson.Fragment]:
        site = shapes.get_site_json(await site_queries.site_info(db, here), None)
        return {key: orjson.Fragment(orjson.dumps(value, option=OPTIONS)) for key, value in site.items()}

    # Every member's answer starts with the same site part: made once a write or a second, as Lemmy 0.19 does.
    site = await state.site_view.get(site_part)
    if viewer is None:
        return json_response(site)
    return json_response({**site, "my_user": shapes.my_user_json(await site_queries.my_user(db, viewer))})


async def _site_response(db: AsyncSession, here: LocalInstance, state: AppState) -> Response:
    info = await site_queries.site_info(db, here)
    return json_response(
        {"site_view": shapes.site_view_json(info), "taglines": [shapes.tagline_json(t) for t in info.taglines]}
    )


@router.post("/site", response_model=shapes.SiteResponse, dependencies=[MESSAGE])
async def create_site(form: shapes.CreateSite, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await site_settings.setup(db, here, admin, form.model_dump(exclude_unset=True))
    return await _site_response(db, here, state)


@router.put("/site", response_model=shapes.SiteResponse, dependencies=[MESSAGE])
async def edit_site(form: shapes.EditSite, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await site_settings.edit(db, here, admin, form.model_dump(exclude_unset=True))
    await pictrs.release_noted(db, state)
    return await _site_response(db, here, state)


@router.post("/site/block", response_model=BlockInstanceResponse, dependencies=[MESSAGE])
async def block_instance(form: BlockInstance, member: Member, db: WriteDb, here: Here) -> Response:
    await blocks.block_instance(db, here, member, form.instance_id, form.block)
    return json_response({"blocked": form.block})
