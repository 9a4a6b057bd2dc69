"""The Lemmy 0.19 HTTP API v3 under /api/v3."""

from fastapi import APIRouter

from agora.api.v3 import admin, comments, communities, inbox, messages, moderation, modlog, posts, reports, site, users

router = APIRouter(prefix="/api/v3")
for area in (site, users, communities, posts, comments, moderation, reports, admin, modlog, inbox, messages):
    router.include_router(area.router)
