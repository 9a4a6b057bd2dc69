"""The Lemmy 1.0 HTTP API v4 under /api/v4."""

from types import ModuleType

from agora.api import shared_routes
from agora.api.v4 import (
    account,
    account_lists,
    admin,
    comment_lists,
    comment_locks,
    comments,
    communities,
    community_reports,
    community_tags,
    federation,
    instance_blocks,
    instances,
    invitations,
    listings,
    logins,
    media,
    moderation,
    modlog,
    multi_communities,
    notification_modes,
    notifications,
    oauth,
    pending_follows,
    person_lists,
    person_notes,
    persons,
    post_mod_edit,
    posts,
    profile_images,
    reports,
    search,
    site,
    taglines,
)

# Matched in order: the most requested areas first (as the v3 router does).
AREAS: tuple[ModuleType, ...] = (
    posts,
    comments,
    site,
    communities,
    persons,
    account,
    notifications,
    search,
    moderation,
    reports,
    modlog,
)
AREAS += (logins, admin, federation)
AREAS += (comment_locks, person_notes, community_reports, community_tags, post_mod_edit, listings, multi_communities)
AREAS += (pending_follows,)  # 1.0's follow requests of Private communities
AREAS += (media, profile_images, taglines, instances)  # 1.0's uploads, one-row taglines and instance rules
AREAS += (account_lists, person_lists, comment_lists)  # 1.0's lists of persons, users, marked posts and slim comments
AREAS += (oauth,)  # 1.0's login providers
AREAS += (instance_blocks, notification_modes, invitations)  # 1.0's member preferences
# Routes Lemmy kept alike from 0.19 are declared once, in api.shared_routes; each stands under this face's tag.
SHARED_TAGS = shared_routes.SharedTags(
    purges="v4: moderation",
    moderation="v4: moderation",
    history="v4: post",
    custom_emojis="v4: admin",
    moves="v4: account",
)
router = shared_routes.face_router("/api/v4", AREAS, SHARED_TAGS)
