"""The server-rendered web UI: Jinja templates over the same queries and domain functions as the API.

`router` holds every page; app.py includes it after the API and ActivityPub routers, whose routes at the same paths
(/u, /c, /post, /comment) only answer ActivityPub requests.
"""

from __future__ import annotations

from fastapi import APIRouter

from agora.web.routes import (
    accounts,
    actions,
    admin,
    api_docs,
    assets,
    comments,
    communities,
    community_mods,
    history,
    inbox,
    listings,
    moderation,
    people,
    posts,
    reasons,
    search,
)

router = APIRouter(include_in_schema=False)
for area in (
    assets,
    api_docs,
    accounts,
    listings,
    communities,
    community_mods,
    posts,
    comments,
    history,
    actions,
    reasons,
    people,
    inbox,
    search,
    moderation,
    admin,
):
    router.include_router(area.router)
