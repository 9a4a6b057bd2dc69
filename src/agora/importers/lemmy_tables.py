"""What each Lemmy 0.19 table becomes in Agora: a SELECT on Lemmy that answers Agora's column names, in the order
they are copied (every row's references are copied before it). Ids are kept, so every reference stays valid and
no id map is needed; counts and ranks are left at their defaults and recounted after the copy."""

from __future__ import annotations

from agora.core.tokens import token_hash
from agora.db.base import Base
from agora.domain import ranking
from agora.domain.modlog import Kind
from agora.importers.copying import Row, TableCopy
from agora.media import storage
from agora.queries.columns import COMMUNITY_COUNTS

PAIR = ("person_id",)  # tables keyed by (person_id, other) in Lemmy 0.19


def _image(row: Row) -> Row | str:
    alias = row["name"]
    if not storage.valid(alias):
        return "a pict-rs alias that is not an image name Agora serves (video or unusual name)"
    return {**row, "thumbnail_name": alias, "content_type": storage.content_type(alias)}


def _session(row: Row) -> Row:
    """Lemmy keeps the token itself, Agora its hash: the session goes on with the same token."""
    token = row.pop("token")
    return {**row, "token_hash": token_hash(token)}


def _columns(table: str, *skip: str) -> str:
    """The target's columns that have the same name and meaning in Lemmy's table."""
    return ", ".join(c.name for c in Base.metadata.tables[table].columns if c.name not in skip)


SITE_SKIP = ("default_post_listing_type", "default_sort_type", "registration_mode", "default_post_listing_mode")
AGGREGATES_SITE = ("users", "posts", "comments", "communities", "users_active_day", "users_active_week")
LOCAL_SITE_OWN = (
    *SITE_SKIP,
    *AGGREGATES_SITE,
    "users_active_month",
    "users_active_half_year",
    "oauth_registration",
    "suggested_multi_community_id",
    "viewer_epoch",
)
MOVES = ("also_known_as", "moved_to", "moved_at")  # Agora's account and community moves; Lemmy has none
PERSON_COUNTS = ("post_count", "post_score", "comment_count", "comment_score")
COMMUNITY_OWN = (*COMMUNITY_COUNTS, "hot_rank", "visibility", *MOVES)
POST_COUNTS = ("comments", "score", "upvotes", "downvotes", "newest_comment_time", "newest_comment_time_necro")
# A time-decaying rank is zero past its window; within it, the ranks job computes it at its next refresh, which
# visits only rows whose rank is not zero (so it is not made to rewrite every old row of a big import once).
FRESH = f"CASE WHEN published > now() - interval '{ranking.WINDOW_HOURS} hours' THEN {ranking.NEW_RANK} ELSE 0 END"
POST_RANKS = ("hot_rank", "hot_rank_active", "scaled_rank", "controversy_rank")
COMMENT_OWN = (
    *("path", "parent_id", "depth", "score", "upvotes", "downvotes", "child_count"),
    *("hot_rank", "controversy_rank", "locked"),
)
LOCAL_USER_OWN = (
    "default_sort_type",
    "default_listing_type",
    "post_listing_mode",
    "vote_display_score",
    "vote_display_upvotes",
    "vote_display_downvotes",
    "vote_display_upvote_percentage",
    "published",
    "viewer_version",
)


def _modlog(source: str, kind: Kind, columns: str) -> TableCopy:
    """One of Lemmy's modlog tables into Agora's one modlog table; `columns` picks and renames its values."""
    return TableCopy(source, "modlog_entry", f"SELECT {columns}, when_ FROM {source}", key=(), only={"kind": kind})


def _pairs(source: str, other: str, *extra: str) -> TableCopy:
    columns = ", ".join(("person_id", other, *extra, "published"))
    return TableCopy(source, source, f"SELECT {columns} FROM {source}", key=("person_id", other))


# Lemmy table, kind, and the SELECT list that names its values as Agora's modlog columns.
MODLOG_TABLES = (
    ("mod_remove_post", Kind.remove_post, "mod_person_id, post_id, reason, removed AS flag"),
    ("mod_lock_post", Kind.lock_post, "mod_person_id, post_id, locked AS flag"),
    (
        "mod_feature_post",
        Kind.feature_post,
        "mod_person_id, post_id, featured AS flag, is_featured_community AS featured_community",
    ),
    ("mod_remove_comment", Kind.remove_comment, "mod_person_id, comment_id, reason, removed AS flag"),
    ("mod_remove_community", Kind.remove_community, "mod_person_id, community_id, reason, removed AS flag"),
    (
        "mod_ban_from_community",
        Kind.ban_from_community,
        "mod_person_id, other_person_id, community_id, reason, banned AS flag, expires",
    ),
    ("mod_add_community", Kind.add_community, "mod_person_id, other_person_id, community_id, NOT removed AS flag"),
    ("mod_transfer_community", Kind.transfer_community, "mod_person_id, other_person_id, community_id, true AS flag"),
    ("mod_add", Kind.add, "mod_person_id, other_person_id, NOT removed AS flag"),
    ("mod_ban", Kind.ban, "mod_person_id, other_person_id, reason, banned AS flag, expires"),
    ("mod_hide_community", Kind.hide_community, "mod_person_id, community_id, reason, hidden AS flag"),
    ("admin_purge_person", Kind.purge_person, "admin_person_id AS mod_person_id, reason, true AS flag"),
    ("admin_purge_community", Kind.purge_community, "admin_person_id AS mod_person_id, reason, true AS flag"),
    ("admin_purge_post", Kind.purge_post, "admin_person_id AS mod_person_id, community_id, reason, true AS flag"),
    ("admin_purge_comment", Kind.purge_comment, "admin_person_id AS mod_person_id, post_id, reason, true AS flag"),
)
MODLOG = [_modlog(source, kind, columns) for source, kind, columns in MODLOG_TABLES]

TABLES = [
    TableCopy("instance", "instance", f"SELECT {_columns('instance')} FROM instance"),
    TableCopy("site", "site", f"SELECT {_columns('site')} FROM site"),
    TableCopy(
        "local_site",
        "local_site",
        f"SELECT {_columns('local_site', *LOCAL_SITE_OWN)}, default_post_listing_type::text,"
        " default_sort_type::text, registration_mode::text, default_post_listing_mode::text FROM local_site",
    ),
    TableCopy(
        "local_site_rate_limit",
        "local_site_rate_limit",
        f"SELECT {_columns('local_site_rate_limit')} FROM local_site_rate_limit",
        key=("local_site_id",),
    ),
    # The JWT secret and the sessions: members stay logged in, their apps keep working.
    TableCopy("secret", "secret", "SELECT id, jwt_secret FROM secret"),
    TableCopy("tagline", "tagline", f"SELECT {_columns('tagline')} FROM tagline"),
    TableCopy("custom_emoji", "custom_emoji", f"SELECT {_columns('custom_emoji')} FROM custom_emoji"),
    TableCopy(
        "custom_emoji_keyword",
        "custom_emoji_keyword",
        "SELECT custom_emoji_id, keyword FROM custom_emoji_keyword",
        key=(),  # whole: a text key would be ordered by each database's own collation
    ),
    TableCopy("person", "person", f"SELECT {_columns('person', *PERSON_COUNTS, *MOVES)} FROM person"),
    TableCopy(
        "local_user",
        "local_user",
        f"SELECT {_columns('local_user', *LOCAL_USER_OWN)}, default_sort_type::text, default_listing_type::text,"
        " post_listing_mode::text, (SELECT published FROM person p WHERE p.id = u.person_id) AS published"
        " FROM local_user u",
    ),
    TableCopy(
        "registration_application",
        "registration_application",
        f"SELECT {_columns('registration_application')} FROM registration_application",
    ),
    TableCopy(
        "local_image",
        "local_image",
        "SELECT pictrs_alias AS name, local_user_id, left(pictrs_delete_token, 64) AS delete_token, 0 AS width,"
        " 0 AS height, 0 AS size, published FROM local_image",
        key=(),
        transform=_image,
    ),
    TableCopy(
        "login_token",
        "login_token",
        "SELECT token, user_id, published, left(ip, 64) AS ip, left(user_agent, 512) AS user_agent FROM login_token",
        key=(),
        transform=_session,
    ),
    _pairs("person_block", "target_id"),
    _pairs("instance_block", "instance_id"),
    TableCopy(
        "community",
        "community",
        f"SELECT {_columns('community', *COMMUNITY_OWN)}, visibility::text FROM community",
    ),
    TableCopy(
        "community_moderator",
        "community_moderator",
        # Lemmy ranks moderators by when they were added: the first is the top moderator.
        "SELECT community_id, person_id, published,"
        " row_number() OVER (PARTITION BY community_id ORDER BY published, person_id) - 1 AS rank"
        " FROM community_moderator",
        key=("person_id", "community_id"),
    ),
    TableCopy(
        "community_follower",
        "community_follower",
        # `remote`: a follower on another server, whose instance gets what happens in the community.
        "SELECT f.community_id, f.person_id, f.pending, NOT p.local AS remote, f.published"
        " FROM community_follower f JOIN person p ON p.id = f.person_id",
        key=("person_id", "community_id"),
    ),
    _pairs("community_person_ban", "community_id", "expires"),
    _pairs("community_block", "community_id"),
    TableCopy(
        "post",
        "post",
        f"SELECT {_columns('post', *POST_COUNTS, *POST_RANKS)}, published AS newest_comment_time,"
        f" published AS newest_comment_time_necro, {FRESH} AS hot_rank, {FRESH} AS scaled_rank FROM post",
    ),
    TableCopy(
        "comment",
        "comment",
        # Lemmy's ltree path "0.12.45.78" is Agora's path as it stands; parent and depth are read from it.
        f"SELECT {_columns('comment', *COMMENT_OWN)},"
        " path::text AS path, nlevel(path) - 2 AS depth,"
        " CASE WHEN nlevel(path) > 2 THEN subpath(path, -2, 1)::text::int END AS parent_id,"
        f" {FRESH} AS hot_rank FROM comment",
    ),
    _pairs("post_like", "post_id", "score"),
    _pairs("comment_like", "comment_id", "score"),
    _pairs("post_saved", "post_id"),
    _pairs("comment_saved", "comment_id"),
    _pairs("post_read", "post_id"),
    _pairs("post_hide", "post_id"),
    TableCopy("private_message", "private_message", f"SELECT {_columns('private_message')} FROM private_message"),
    TableCopy("post_report", "post_report", f"SELECT {_columns('post_report')} FROM post_report"),
    TableCopy("comment_report", "comment_report", f"SELECT {_columns('comment_report')} FROM comment_report"),
    *MODLOG,
]

# Lemmy tables left behind, and why (the import's report lists them).
NOT_COPIED = {
    "captcha_answer, email_verification, password_reset_request": "short-lived codes that expire within hours",
    "*_aggregates": "counts are recounted from the copied rows",
    "person_mention, comment_reply": "notifications of the old instance (already delivered)",
    "person_post_aggregates": "how many comments of a post each member has read: not read by this importer yet",
    "private_message_report, local_user_language, site_language, community_language": "not read by this importer yet",
    "sent_activity, received_activity, federation_queue_state": "federation restarts from now: peers re-send",
}
