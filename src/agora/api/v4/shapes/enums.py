"""Lemmy 1.0's enumerations (snake_case) and their 0.19 names, which Agora's queries and rules use.

1.0 dropped the `TopDay`… sorts for `top` plus `time_range_seconds`: a range is read as the smallest of 0.19's
top windows that holds it (a range between two windows gets the larger one).
"""

from __future__ import annotations

from typing import Literal

from agora.errors import AgoraError, Code

ListingType = Literal["all", "local", "subscribed", "moderator_view", "suggested"]
PostSortType = Literal["active", "hot", "new", "old", "top", "most_comments", "new_comments", "controversial", "scaled"]
CommentSortType = Literal["hot", "top", "new", "old", "controversial"]
CommunitySortType = Literal[
    "active_six_months",
    "active_monthly",
    "active_weekly",
    "active_daily",
    "hot",
    "new",
    "old",
    "name_asc",
    "name_desc",
    "comments",
    "posts",
    "subscribers",
    "subscribers_local",
]

_LISTING = {"all": "All", "local": "Local", "subscribed": "Subscribed", "moderator_view": "ModeratorView"}
_POST_SORT = {
    "active": "Active",
    "hot": "Hot",
    "new": "New",
    "old": "Old",
    "most_comments": "MostComments",
    "new_comments": "NewComments",
    "controversial": "Controversial",
    "scaled": "Scaled",
}
_TOP_WINDOWS = (
    (3600, "TopHour"),
    (6 * 3600, "TopSixHour"),
    (12 * 3600, "TopTwelveHour"),
    (86400, "TopDay"),
    (7 * 86400, "TopWeek"),
    (31 * 86400, "TopMonth"),
    (92 * 86400, "TopThreeMonths"),
    (183 * 86400, "TopSixMonths"),
    (275 * 86400, "TopNineMonths"),
    (366 * 86400, "TopYear"),
)
_COMMUNITY_SORT = {
    "active_six_months": "TopSixMonths",
    "active_monthly": "TopMonth",
    "active_weekly": "TopWeek",
    "active_daily": "TopDay",
    "hot": "Hot",
    "new": "New",
    "old": "Old",
    "name_asc": "NameAsc",
    "name_desc": "NameDesc",
    "comments": "MostComments",
    "posts": "Posts",
    "subscribers": "TopAll",
    "subscribers_local": "SubscribersLocal",
}
_FROM_LISTING = {v: k for k, v in _LISTING.items()}
_FROM_POST_SORT = {v: k for k, v in _POST_SORT.items()}


def listing_type(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in _LISTING:
        raise AgoraError(Code.invalid_body_field, f"listing type {value} is not served here")
    return _LISTING[value]


def post_sort(value: str | None, time_range_seconds: int | None) -> str | None:
    """The 0.19 sort for 1.0's sort and time range (the range narrows `top` only)."""
    if value is None:
        return None
    if value != "top":
        return _POST_SORT[value]
    if time_range_seconds is None:
        return "TopAll"
    if time_range_seconds <= 0:
        raise AgoraError(Code.invalid_body_field, "time_range_seconds must be positive")
    return next((name for seconds, name in _TOP_WINDOWS if time_range_seconds <= seconds), "TopAll")


def comment_sort(value: str | None) -> str | None:
    return None if value is None else value.capitalize()


def community_sort(value: str | None) -> str:
    return _COMMUNITY_SORT.get(value or "hot", "Hot")


def v4_listing_type(value: str) -> str:
    return _FROM_LISTING.get(value, "all")


def v4_post_sort(value: str) -> str:
    return "top" if value.startswith("Top") else _FROM_POST_SORT.get(value, "hot")


def v4_comment_sort(value: str) -> str:
    return value.lower()


def v4_visibility(value: str) -> str:
    """0.19's `Public`/`LocalOnly` (and Agora's others) in 1.0's snake_case."""
    return {"Public": "public", "LocalOnly": "local_only_public"}.get(value, value.lower())
