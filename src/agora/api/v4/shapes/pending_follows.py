"""Lemmy 1.0's pending follows of Private communities (ListCommunityPendingFollows, PendingFollowerView,
ApproveCommunityPendingFollower)."""

from __future__ import annotations

from typing import Any, Literal

from agora.api.v4.shapes.base import CursorPaging, Form, Id, Paged, Shape
from agora.api.v4.shapes.objects import Community, Person, community_json, person_json
from agora.queries.pending_follows import PendingFollowItem


class ListCommunityPendingFollows(CursorPaging):
    unread_only: bool | None = None  # only the follows still waiting (Lemmy's default: all of them)
    all_communities: bool | None = None


class PendingFollowerView(Shape):
    person: Person
    community: Community
    is_new_instance: bool
    follow_state: Literal["accepted", "pending", "approval_required", "denied"] | None = None


class PagedPendingFollows(Paged[PendingFollowerView]):
    pass


class ApproveCommunityPendingFollower(Form):
    community_id: Id
    follower_id: Id
    approve: bool


def pending_follower_view_json(item: PendingFollowItem) -> dict[str, Any]:
    return {
        "person": person_json(item.person),
        "community": community_json(item.community),
        "is_new_instance": item.is_new_instance,
        "follow_state": "approval_required" if item.pending else "accepted",
    }
