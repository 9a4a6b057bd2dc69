"""Lemmy 1.0's multi-community shapes: CreateMultiCommunity … MultiCommunityView, and their JSON."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agora.api.v4.shapes.base import Form, Id, Limit, PageCursor, Paged, Shape
from agora.api.v4.shapes.objects import Person, person_json
from agora.api.v4.shapes.views import CommunityView
from agora.queries.multi_communities import MultiItem

MultiCommunityListingType = Literal["all", "local", "subscribed"]
MultiCommunitySortType = Literal[
    "new", "old", "name_asc", "name_desc", "communities", "subscribers", "subscribers_local"
]


class CreateMultiCommunity(Form):
    name: str = Field(max_length=255)
    title: str | None = Field(None, max_length=1000)
    summary: str | None = Field(None, max_length=1000)
    sidebar: str | None = Field(None, max_length=100_000)


class EditMultiCommunity(Form):
    id: Id
    title: str | None = Field(None, max_length=1000)
    summary: str | None = Field(None, max_length=1000)
    sidebar: str | None = Field(None, max_length=100_000)
    deleted: bool | None = None


class GetMultiCommunity(Form):
    id: Id | None = None
    name: str | None = Field(None, max_length=300)


class CreateOrDeleteMultiCommunityEntry(Form):
    id: Id
    community_id: Id


class ListMultiCommunities(Form):
    type_: MultiCommunityListingType | None = None
    sort: MultiCommunitySortType | None = None
    creator_id: Id | None = None
    time_range_seconds: int | None = Field(None, ge=1, le=2**31 - 1)
    search_term: str | None = Field(None, max_length=1000)
    search_title_only: bool | None = None
    page_cursor: PageCursor = None
    limit: Limit | None = None


class FollowMultiCommunity(Form):
    multi_community_id: Id
    follow: bool


class MultiCommunity(Shape):
    id: int
    creator_id: int
    instance_id: int
    name: str
    local: bool
    deleted: bool
    ap_id: str
    published_at: Any
    subscribers: int
    subscribers_local: int
    communities: int


class MultiCommunityView(Shape):
    multi: MultiCommunity
    follow_state: str | None = None
    owner: Person


class MultiCommunityResponse(Shape):
    multi_community_view: MultiCommunityView


class GetMultiCommunityResponse(MultiCommunityResponse):
    communities: list[CommunityView]


PagedMultiCommunities = Paged[MultiCommunityView]

_FIELDS = ("id", "creator_id", "instance_id", "name", "title", "summary", "sidebar", "local", "deleted")
_COUNTS = ("subscribers", "subscribers_local", "communities")


def multi_json(row: dict[str, Any]) -> dict[str, Any]:
    out = {name: row[name] for name in _FIELDS if row.get(name) is not None}
    out.update({name: row.get(name) or 0 for name in _COUNTS})
    out.update(ap_id=row["actor_id"], published_at=row["published"], last_refreshed_at=row["last_refreshed_at"])
    if row.get("updated") is not None:
        out["updated_at"] = row["updated"]
    return out


def multi_view_json(item: MultiItem) -> dict[str, Any]:
    out: dict[str, Any] = {"multi": multi_json(item.multi), "owner": person_json(item.owner)}
    if item.follow_state is not None:
        out["follow_state"] = item.follow_state.lower()
    return out
