"""The parts of GET /site's account summary (MyUserInfo) that Lemmy 1.0 kept from 0.19, and the rate limits both
faces' EditSite set (each in its own words)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import Field

from agora.queries import views as v

# The rate limit buckets an admin sets through EditSite, in Lemmy's order
EDITED_BUCKETS = ("message", "post", "register", "image", "comment", "search")


def community_relations(
    info: v.AccountSummary, me: dict[str, Any], community_json: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """MyUserInfo's `follows` and `moderates`: each community (in the face's `community_json`) with the account."""
    return {
        "follows": [{"community": community_json(c), "follower": me} for c in info.follows],
        "moderates": [{"community": community_json(c), "moderator": me} for c in info.moderates],
    }


def rate_limit_fields(suffixes: tuple[str, str], *, most: int) -> dict[str, Any]:
    """EditSite's rate limits in a face's words, as `create_model` takes fields: `rate_limit_{bucket}{suffix}` for
    each edited bucket and each of `suffixes` (its count, then its interval), each optional, from 0 to `most`."""
    return {
        f"rate_limit_{bucket}{suffix}": (int | None, Field(None, ge=0, le=most))
        for bucket in EDITED_BUCKETS
        for suffix in suffixes
    }
