"""Community requests and answers (GetCommunity, ListCommunities, CreateCommunity, FollowCommunity …)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agora.api.shapes.communities import CommunityRules
from agora.api.shapes.communities import FollowCommunity as FollowCommunity
from agora.api.v4.shapes.base import CursorPaging, Form, Id, Paged, Shape
from agora.api.v4.shapes.enums import CommunitySortType, ListingType
from agora.api.v4.shapes.views import CommunityModeratorView, CommunityView

CommunityVisibility = Literal["public", "unlisted", "local_only_public", "local_only_private", "private"]


class GetCommunity(Form):
    id: Id | None = None
    name: str | None = Field(None, max_length=255)


class ListCommunities(CursorPaging):
    type_: ListingType | None = None
    sort: CommunitySortType | None = None
    show_nsfw: bool | None = None


class _CommunitySettings(CommunityRules):
    """What CreateCommunity and EditCommunity both may set, each optional."""

    title: str | None = Field(None, max_length=255)
    sidebar: str | None = Field(None, max_length=100_000)
    visibility: CommunityVisibility | None = None


class CreateCommunity(_CommunitySettings):
    name: str = Field(max_length=255)


class EditCommunity(_CommunitySettings):
    community_id: Id


class CommunityResponse(Shape):
    community_view: CommunityView
    discussion_languages: list[int]


class GetCommunityResponse(Shape):
    community_view: CommunityView
    moderators: list[CommunityModeratorView]
    discussion_languages: list[int]


class PagedCommunities(Paged[CommunityView]):
    pass
