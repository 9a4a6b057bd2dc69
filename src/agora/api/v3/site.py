"""/site: the site view, and its setup and edits by admins."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.background import BackgroundTask
from starlette.responses import Response

from agora.api.v3.shapes.accounts import BlockInstance, BlockInstanceResponse
from agora.api.v3.shapes.site import (
    CreateSite,
    EditSite,
    GetSiteResponse,
    SiteResponse,
    get_site_json,
    site_view_json,
    tagline_json,
)
from agora.deps import Admin, Here, MaybeViewer, Member, ReadDb, State, WriteDb, rate_limited
from agora.domain import blocks, site_settings
from agora.queries import site as site_queries
from agora.responses import json_response

router = APIRouter(tags=["site"])
MESSAGE = rate_limited("message")


@router.get("/site", response_model=GetSiteResponse, dependencies=[MESSAGE])
async def get_site(db: ReadDb, viewer: MaybeViewer, here: Here) -> Response:
    info = await site_queries.site_info(db, here)
    me = await site_queries.my_user(db, viewer) if viewer else None
    return json_response(get_site_json(info, me))


async def _site_response(db, here, state) -> Response:
    info = await site_queries.site_info(db, here)
    response = json_response({"site_view": site_view_json(info), "taglines": [tagline_json(t) for t in info.taglines]})
    # After the commit, so no request re-caches the old settings in between.
    response.background = BackgroundTask(state.site_cache.invalidate)
    return response


@router.post("/site", response_model=SiteResponse, dependencies=[MESSAGE])
async def create_site(form: CreateSite, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await site_settings.setup(db, here, admin, form.model_dump(exclude_unset=True))
    return await _site_response(db, here, state)


@router.put("/site", response_model=SiteResponse, dependencies=[MESSAGE])
async def edit_site(form: EditSite, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await site_settings.edit(db, here, admin, form.model_dump(exclude_unset=True))
    return await _site_response(db, here, state)


@router.post("/site/block", response_model=BlockInstanceResponse, dependencies=[MESSAGE])
async def block_instance(form: BlockInstance, member: Member, db: WriteDb, here: Here) -> Response:
    await blocks.block_instance(db, here, member, form.instance_id, form.block)
    return json_response({"blocked": form.block})
