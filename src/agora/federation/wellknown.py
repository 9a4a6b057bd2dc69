"""NodeInfo 2.0/2.1 discovery and documents: how apps and crawlers learn what this server is."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import RedirectResponse, Response

from agora.config import SERVED_VERSION
from agora.deps import Here, ReadDb, SiteSettings
from agora.queries import site as site_queries
from agora.responses import json_response

router = APIRouter(tags=["discovery"])


@router.get("/.well-known/nodeinfo")
async def nodeinfo_links(here: Here) -> Response:
    return json_response(
        {
            "links": [
                {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f"{here.base_url}/nodeinfo/2.1"},
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                    "href": f"{here.base_url}/nodeinfo/2.0.json",
                },
            ]
        },
        headers={"cache-control": "public, max-age=3600"},
    )


async def _document(db, here, site: dict, schema: str) -> dict:
    usage = await site_queries.usage(db, here)
    software = {"name": "agora", "version": SERVED_VERSION}
    if schema == "2.1":
        software["homepage"] = here.base_url
    return {
        "version": schema,
        "software": software,
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "usage": {
            "users": {
                "total": usage["users"],
                "activeMonth": usage["users_active_month"],
                "activeHalfyear": usage["users_active_half_year"],
            },
            "localPosts": usage["posts"],
            "localComments": usage["comments"],
        },
        "openRegistrations": site["registration_mode"] != "Closed",
        "metadata": {"lemmyApiVersion": SERVED_VERSION.split("+", 1)[0]},
    }


@router.get("/nodeinfo/2.1")
async def nodeinfo_21(db: ReadDb, here: Here, site: SiteSettings) -> Response:
    return json_response(await _document(db, here, site, "2.1"), headers={"cache-control": "public, max-age=3600"})


@router.get("/nodeinfo/2.0.json")
@router.get("/nodeinfo/2.0")
async def nodeinfo_20(db: ReadDb, here: Here, site: SiteSettings) -> Response:
    return json_response(await _document(db, here, site, "2.0"), headers={"cache-control": "public, max-age=3600"})


@router.get("/version")
async def version_redirect(here: Here) -> Response:
    return RedirectResponse(f"{here.base_url}/nodeinfo/2.1", status_code=301)
