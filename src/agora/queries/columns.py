"""Which columns each view reads, and how a joined row is cut back into one dict per table.

Views select plain columns (no ORM objects) because shaping hundreds of rows is where a request's time goes;
secrets (keys, password hashes) are never in these lists, so they cannot leak into a response by accident.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnClause, FromClause, Label, literal_column

# A table's own columns (`X_ROW`: Lemmy's object of that name has exactly these), then a view's `X`: those and the
# counts read with them.
PERSON_ROW = (
    "id",
    "name",
    "display_name",
    "avatar",
    "banned",
    "published",
    "updated",
    "actor_id",
    "bio",
    "local",
    "banner",
    "deleted",
    "matrix_user_id",
    "bot_account",
    "ban_expires",
    "instance_id",
)
PERSON = (
    *PERSON_ROW,
    "post_count",
    "post_score",
    "comment_count",
    "comment_score",
)
COMMUNITY_ROW = (
    "id",
    "name",
    "title",
    "description",
    "removed",
    "published",
    "updated",
    "deleted",
    "nsfw",
    "actor_id",
    "local",
    "icon",
    "banner",
    "hidden",
    "posting_restricted_to_mods",
    "instance_id",
    "visibility",
)
COMMUNITY_COUNTS = (
    "subscribers",
    "subscribers_local",
    "posts",
    "comments",
    "users_active_day",
    "users_active_week",
    "users_active_month",
    "users_active_half_year",
)
COMMUNITY = (*COMMUNITY_ROW, *COMMUNITY_COUNTS)
POST_ROW = (
    "id",
    "name",
    "url",
    "body",
    "creator_id",
    "community_id",
    "removed",
    "locked",
    "published",
    "updated",
    "deleted",
    "nsfw",
    "embed_title",
    "embed_description",
    "thumbnail_url",
    "ap_id",
    "local",
    "embed_video_url",
    "language_id",
    "featured_community",
    "featured_local",
    "url_content_type",
    "alt_text",
)
POST = (
    *POST_ROW,
    "comments",
    "score",
    "upvotes",
    "downvotes",
    "newest_comment_time",
)
COMMENT = (
    "id",
    "creator_id",
    "post_id",
    "parent_id",
    "content",
    "removed",
    "published",
    "updated",
    "deleted",
    "ap_id",
    "local",
    "path",
    "depth",
    "distinguished",
    "language_id",
    "score",
    "upvotes",
    "downvotes",
    "child_count",
    "locked",
)


def labelled(table: FromClause, names: Sequence[str], prefix: str) -> list[Label[Any]]:
    return [table.c[name].label(f"{prefix}{name}") for name in names]


def take(row: Mapping[Any, Any], names: Sequence[str], prefix: str) -> dict[str, Any]:
    return {name: row[f"{prefix}{name}"] for name in names}


# Boolean filters are written `col = false` in SQL on both engines: the per-sort partial indexes say
# `WHERE deleted = false AND removed = false`, and each planner only uses a partial index when the query's terms
# match its predicate as written (PostgreSQL does not equate `IS false`; SQLite does not equate `= 0`).
FALSE: ColumnClause[bool] = literal_column("false")
TRUE: ColumnClause[bool] = literal_column("true")
