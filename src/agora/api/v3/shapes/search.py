"""GET /search: request and response."""

from __future__ import annotations

from pydantic import Field

from agora.api.v3.shapes.base import CommunityListing, Id, Shape
from agora.api.v3.shapes.enums import ListingType, SearchType, SortType
from agora.api.v3.shapes.views import CommentView, CommunityView, PersonView, PostView


class Search(CommunityListing):
    q: str = Field(max_length=1000)
    creator_id: Id | None = None
    type_: SearchType | None = None
    sort: SortType | None = None
    listing_type: ListingType | None = None
    post_title_only: bool | None = None


class SearchResponse(Shape):
    type_: SearchType
    comments: list[CommentView]
    posts: list[PostView]
    communities: list[CommunityView]
    users: list[PersonView]
