"""Core objects: Person, Community, Post, Comment and their aggregates."""

from __future__ import annotations

from typing import Any

from agora.api.v3.shapes.base import Shape, Timestamp, pick
from agora.queries import columns

PERSON_FIELDS = columns.PERSON_ROW
COMMUNITY_FIELDS = columns.COMMUNITY_ROW
POST_FIELDS = columns.POST_ROW


class Person(Shape):
    id: int
    name: str
    display_name: str | None = None
    avatar: str | None = None
    banned: bool
    published: Timestamp
    updated: Timestamp | None = None
    actor_id: str
    bio: str | None = None
    local: bool
    banner: str | None = None
    deleted: bool
    matrix_user_id: str | None = None
    bot_account: bool
    ban_expires: Timestamp | None = None
    instance_id: int


class Community(Shape):
    id: int
    name: str
    title: str
    description: str | None = None
    removed: bool
    published: Timestamp
    updated: Timestamp | None = None
    deleted: bool
    nsfw: bool
    actor_id: str
    local: bool
    icon: str | None = None
    banner: str | None = None
    hidden: bool
    posting_restricted_to_mods: bool
    instance_id: int
    visibility: str


class Post(Shape):
    id: int
    name: str
    url: str | None = None
    body: str | None = None
    creator_id: int
    community_id: int
    removed: bool
    locked: bool
    published: Timestamp
    updated: Timestamp | None = None
    deleted: bool
    nsfw: bool
    embed_title: str | None = None
    embed_description: str | None = None
    thumbnail_url: str | None = None
    ap_id: str
    local: bool
    embed_video_url: str | None = None
    language_id: int
    featured_community: bool
    featured_local: bool
    url_content_type: str | None = None
    alt_text: str | None = None


class Comment(Shape):
    id: int
    creator_id: int
    post_id: int
    content: str
    removed: bool
    published: Timestamp
    updated: Timestamp | None = None
    deleted: bool
    ap_id: str
    local: bool
    path: str
    distinguished: bool
    language_id: int


COMMENT_FIELDS = tuple(Comment.model_fields)


class PersonAggregates(Shape):
    person_id: int
    post_count: int
    comment_count: int


class CommunityAggregates(Shape):
    community_id: int
    subscribers: int
    posts: int
    comments: int
    published: Timestamp
    users_active_day: int
    users_active_week: int
    users_active_month: int
    users_active_half_year: int
    subscribers_local: int


class PostAggregates(Shape):
    post_id: int
    comments: int
    score: int
    upvotes: int
    downvotes: int
    published: Timestamp
    newest_comment_time: Timestamp


class CommentAggregates(Shape):
    comment_id: int
    score: int
    upvotes: int
    downvotes: int
    published: Timestamp
    child_count: int


def person_json(row: dict[str, Any]) -> dict[str, Any]:
    return pick(row, PERSON_FIELDS)


def with_person(view: dict[str, Any], key: str, row: dict[str, Any] | None) -> dict[str, Any]:
    """`view` with the person `row` under `key` when there is one (a resolver, a moderator: Lemmy leaves it out)."""
    if row is not None:
        view[key] = person_json(row)
    return view


def community_json(row: dict[str, Any]) -> dict[str, Any]:
    return pick(row, COMMUNITY_FIELDS)


def post_json(row: dict[str, Any]) -> dict[str, Any]:
    return pick(row, POST_FIELDS)


def comment_json(row: dict[str, Any]) -> dict[str, Any]:
    return pick(row, COMMENT_FIELDS)


def person_counts(row: dict[str, Any]) -> dict[str, Any]:
    return {"person_id": row["id"], "post_count": row["post_count"], "comment_count": row["comment_count"]}


def community_counts(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "community_id": row["id"],
        "subscribers": row["subscribers"],
        "posts": row["posts"],
        "comments": row["comments"],
        "published": row["published"],
        "users_active_day": row["users_active_day"],
        "users_active_week": row["users_active_week"],
        "users_active_month": row["users_active_month"],
        "users_active_half_year": row["users_active_half_year"],
        "subscribers_local": row["subscribers_local"],
    }


# (Lemmy's key, our column) of a post's counts
POST_COUNTS = (
    ("post_id", "id"),
    ("comments", "comments"),
    ("score", "score"),
    ("upvotes", "upvotes"),
    ("downvotes", "downvotes"),
    ("published", "published"),
    ("newest_comment_time", "newest_comment_time"),
)


# (Lemmy's key, our column) of a comment's counts
COMMENT_COUNTS = (
    ("comment_id", "id"),
    ("score", "score"),
    ("upvotes", "upvotes"),
    ("downvotes", "downvotes"),
    ("published", "published"),
    ("child_count", "child_count"),
)
