"""Lemmy 1.0's core objects (Person, Community, Post, Comment) from the rows the queries read.

1.0 renamed the timestamps (`published` → `published_at`), `actor_id` → `ap_id`, a community's description
→ `sidebar`, and moved each object's counts into the object itself (0.19 had them in a separate `counts`).
"""

from __future__ import annotations

from typing import Any

from agora.api.v4.shapes.base import Shape, present
from agora.api.v4.shapes.enums import v4_visibility

_PERSON = (
    ("id", "id"),
    ("name", "name"),
    ("display_name", "display_name"),
    ("avatar", "avatar"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("ap_id", "actor_id"),
    ("bio", "bio"),
    ("local", "local"),
    ("last_refreshed_at", "published"),
    ("banner", "banner"),
    ("deleted", "deleted"),
    ("matrix_user_id", "matrix_user_id"),
    ("bot_account", "bot_account"),
    ("instance_id", "instance_id"),
)
_COMMUNITY = (
    ("id", "id"),
    ("name", "name"),
    ("title", "title"),
    ("sidebar", "description"),
    ("removed", "removed"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("deleted", "deleted"),
    ("nsfw", "nsfw"),
    ("ap_id", "actor_id"),
    ("local", "local"),
    ("last_refreshed_at", "published"),
    ("icon", "icon"),
    ("banner", "banner"),
    ("posting_restricted_to_mods", "posting_restricted_to_mods"),
    ("instance_id", "instance_id"),
    ("visibility", "visibility"),
    ("subscribers", "subscribers"),
    ("subscribers_local", "subscribers_local"),
    ("posts", "posts"),
    ("comments", "comments"),
    ("users_active_day", "users_active_day"),
    ("users_active_week", "users_active_week"),
    ("users_active_month", "users_active_month"),
    ("users_active_half_year", "users_active_half_year"),
)
_POST = (
    ("id", "id"),
    ("name", "name"),
    ("url", "url"),
    ("body", "body"),
    ("creator_id", "creator_id"),
    ("community_id", "community_id"),
    ("removed", "removed"),
    ("locked", "locked"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("deleted", "deleted"),
    ("nsfw", "nsfw"),
    ("embed_title", "embed_title"),
    ("embed_description", "embed_description"),
    ("thumbnail_url", "thumbnail_url"),
    ("ap_id", "ap_id"),
    ("local", "local"),
    ("embed_video_url", "embed_video_url"),
    ("language_id", "language_id"),
    ("featured_community", "featured_community"),
    ("featured_local", "featured_local"),
    ("url_content_type", "url_content_type"),
    ("alt_text", "alt_text"),
    ("newest_comment_time_at", "newest_comment_time"),
    ("comments", "comments"),
    ("score", "score"),
    ("upvotes", "upvotes"),
    ("downvotes", "downvotes"),
)
_COMMENT = (
    ("id", "id"),
    ("creator_id", "creator_id"),
    ("post_id", "post_id"),
    ("content", "content"),
    ("removed", "removed"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("deleted", "deleted"),
    ("ap_id", "ap_id"),
    ("local", "local"),
    ("path", "path"),
    ("distinguished", "distinguished"),
    ("language_id", "language_id"),
    ("score", "score"),
    ("upvotes", "upvotes"),
    ("downvotes", "downvotes"),
    ("child_count", "child_count"),
)
# Counts Agora does not keep on the row itself (1.0 keeps report counts there): sent as 0, the type needs them.
_REPORTS = {"report_count": 0, "unresolved_report_count": 0}


def person_json(row: dict[str, Any]) -> dict[str, Any]:
    out = present(row, _PERSON)
    out["post_count"] = row.get("post_count") or 0
    out["comment_count"] = row.get("comment_count") or 0
    return out


def community_json(row: dict[str, Any]) -> dict[str, Any]:
    out = present(row, _COMMUNITY)
    for count in ("subscribers", "subscribers_local", "posts", "comments", "users_active_day"):
        out.setdefault(count, 0)
    for count in ("users_active_week", "users_active_month", "users_active_half_year"):
        out.setdefault(count, 0)
    out["visibility"] = v4_visibility(row.get("visibility") or "Public")
    out.update(_REPORTS, local_removed=False)
    return out


def post_json(row: dict[str, Any]) -> dict[str, Any]:
    out = present(row, _POST)
    out.update(_REPORTS, federation_pending=False)
    return out


def comment_json(row: dict[str, Any]) -> dict[str, Any]:
    out = present(row, _COMMENT)
    out.update(_REPORTS, federation_pending=False, locked=bool(row.get("locked")))
    return out


class Person(Shape):
    id: int
    name: str
    ap_id: str
    local: bool
    published_at: Any
    post_count: int
    comment_count: int


class Community(Shape):
    id: int
    name: str
    ap_id: str
    local: bool
    published_at: Any
    visibility: str
    subscribers: int
    posts: int
    comments: int


class Post(Shape):
    id: int
    name: str
    creator_id: int
    community_id: int
    ap_id: str
    published_at: Any
    comments: int
    score: int
    upvotes: int
    downvotes: int


class Comment(Shape):
    id: int
    creator_id: int
    post_id: int
    content: str
    ap_id: str
    path: str
    published_at: Any
    score: int
    upvotes: int
    downvotes: int
    child_count: int
