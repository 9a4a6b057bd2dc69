"""/site and /account (the member's own summary, which 1.0 moved out of GET /site)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v4.shapes.multi_communities import multi_view_json
from agora.api.v4.shapes.site import GetSiteResponse, MyUserInfo, get_site_json, my_user_json
from agora.deps import MESSAGE, Here, MaybeViewer, Member, ReadDb
from agora.queries import multi_communities as multi_queries
from agora.queries import oauth_providers
from agora.queries import site as site_queries
from agora.responses import json_response

router = APIRouter(tags=["v4: site"])


@router.get("/site", response_model=GetSiteResponse, dependencies=[MESSAGE])
async def get_site(db: ReadDb, here: Here, viewer: MaybeViewer) -> Response:
    info = await site_queries.site_info(db, here)
    instance = {"id": here.instance_id, "domain": here.domain, "published_at": info.site["published"]}
    admin = viewer is not None and viewer.admin
    providers = await oauth_providers.listed(db, enabled_only=not admin)
    return json_response(get_site_json(info, instance, providers=providers, admin=admin))


@router.get("/account", response_model=MyUserInfo, dependencies=[MESSAGE])
async def get_my_user(db: ReadDb, member: Member) -> Response:
    body = my_user_json(await site_queries.my_user(db, member))
    body["multi_community_follows"] = [multi_view_json(v) for v in await multi_queries.followed_by(db, member)]
    return json_response(body)
