"""The parts of GET /site's account summary (MyUserInfo) that Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agora.queries import views as v


def community_relations(
    info: v.AccountSummary, me: dict[str, Any], community_json: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """MyUserInfo's `follows` and `moderates`: each community (in the face's `community_json`) with the account."""
    return {
        "follows": [{"community": community_json(c), "follower": me} for c in info.follows],
        "moderates": [{"community": community_json(c), "moderator": me} for c in info.moderates],
    }
