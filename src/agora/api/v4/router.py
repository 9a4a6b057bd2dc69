"""The Lemmy 1.0 HTTP API v4 under /api/v4."""

from fastapi import APIRouter

from agora.api.v4 import account, comments, communities, posts, site

router = APIRouter(prefix="/api/v4")
AREAS = (posts, comments, site, communities, account)
for area in AREAS:
    router.include_router(area.router)
