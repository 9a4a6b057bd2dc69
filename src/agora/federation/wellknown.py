"""NodeInfo 2.0/2.1 and WebFinger: how apps, crawlers and other servers learn what this server is and who is here."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from agora.config import SERVED_VERSION
from agora.core.instance import LocalInstance
from agora.deps import Here, ReadDb, SiteSettings
from agora.errors import AgoraError, Code
from agora.queries import communities as community_queries
from agora.queries import persons as person_queries
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


async def _document(db: AsyncSession, here: LocalInstance, site: dict, schema: str) -> dict:
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
        "openRegistrations": site["registration_mode"] == "Open",  # an application to wait on is not open
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


ACTIVITY_JSON = "application/activity+json"
TYPE_PROPERTY = "https://www.w3.org/ns/activitystreams#type"


@router.get("/.well-known/webfinger")
async def webfinger(db: ReadDb, here: Here, resource: str = "") -> Response:
    """`acct:name@host` → the person and/or community of that name here (Lemmy answers both when both exist)."""
    account = resource.removeprefix("acct:").lstrip("@")
    name, _, host = account.partition("@")
    if not name or host.lower() != here.domain.lower() or len(name) > 255:
        raise AgoraError(Code.not_found, "no such account on this server", status=404)
    links = []
    person_id = await person_queries.find_id(db, here.instance_id, name)
    person = await person_queries.get_view(db, person_id) if person_id else None
    if person is not None and not person.person["deleted"]:
        url = person.person["actor_id"]
        links += [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": url},
            {"rel": "self", "type": ACTIVITY_JSON, "href": url, "properties": {TYPE_PROPERTY: "Person"}},
        ]
    community_id = await community_queries.find_id(db, here.instance_id, name)
    community = await community_queries.get_view(db, None, community_id) if community_id else None
    if community is not None:
        url = community.community["actor_id"]
        links.append({"rel": "self", "type": ACTIVITY_JSON, "href": url, "properties": {TYPE_PROPERTY: "Group"}})
    if not links:
        raise AgoraError(Code.not_found, "no such account on this server", status=404)
    return json_response(
        {"subject": f"acct:{name}@{here.domain}", "links": links},
        headers={"content-type": "application/jrd+json", "cache-control": "public, max-age=300"},
    )
