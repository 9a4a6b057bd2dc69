"""The Lemmy 0.19 HTTP API v3 under /api/v3."""

from agora.api import shared_routes
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
    polls,
    posts,
    reports,
    search,
    settings_backups,
    site,
    users,
)

# FastAPI matches a request against the routes in order, about 2 µs each: the most requested areas come first.
AREAS = (
    *(posts, comments, site, communities, users, moderation, reports, admin, modlog, inbox, messages, search),
    *(filters, custom_emojis, media, settings_backups, federation, polls),
)
# Routes Lemmy kept alike in 1.0 are declared once, in api.shared_routes; each stands under this face's tag.
SHARED_TAGS = shared_routes.SharedTags(
    purges="admin", moderation="moderation", history="post", custom_emojis="site", moves="user"
)
router = shared_routes.face_router("/api/v3", AREAS, SHARED_TAGS)
