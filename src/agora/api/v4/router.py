"""The Lemmy 1.0 HTTP API v4 under /api/v4."""

from fastapi import APIRouter

from agora.api.v4 import (
    account,
    comments,
    communities,
    moderation,
    modlog,
    notifications,
    persons,
    posts,
    reports,
    site,
)

router = APIRouter(prefix="/api/v4")
AREAS = (posts, comments, site, communities, persons, account, notifications, moderation, reports, modlog)
for area in AREAS:
    router.include_router(area.router)
