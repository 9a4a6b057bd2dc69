"""The Lemmy 0.19 HTTP API v3 under /api/v3."""

from fastapi import APIRouter

from agora.api.v3 import (
    admin,
    comments,
    communities,
    custom_emojis,
    federation,
    filters,
    inbox,
    media,
    messages,
    moderation,
    modlog,
    posts,
    reports,
    search,
    settings_backups,
    site,
    users,
)

router = APIRouter(prefix="/api/v3")
AREAS = (site, users, communities, posts, comments, moderation, reports, admin, modlog, inbox, messages, search)
AREAS += (filters, custom_emojis, media, settings_backups, federation)
for area in AREAS:
    router.include_router(area.router)
