"""Communities: requests and responses."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.communities import AddModToCommunity as AddModToCommunity
from agora.api.shapes.communities import BlockCommunity as BlockCommunity
from agora.api.shapes.communities import CommunityRules
from agora.api.shapes.communities import DeleteCommunity as DeleteCommunity
from agora.api.shapes.communities import FollowCommunity as FollowCommunity
from agora.api.shapes.communities import TransferCommunity as TransferCommunity
from agora.api.v3.shapes.base import Form, Id, Paging, Shape
from agora.api.v3.shapes.enums import CommunityVisibility, ListingType, SortType
from agora.api.v3.shapes.site import Site
from agora.api.v3.shapes.views import CommunityModeratorView, CommunityView


class GetCommunity(Form):
    id: Id | None = None
    name: str | None = Field(None, max_length=512)


class GetCommunityResponse(Shape):
    community_view: CommunityView
    site: Site | None = None
    moderators: list[CommunityModeratorView]
    discussion_languages: list[Id]


class _CommunitySettings(CommunityRules):
    """What CreateCommunity and EditCommunity both may set, each optional."""

    description: str | None = Field(None, max_length=100_000)
    icon: str | None = Field(None, max_length=2000)
    banner: str | None = Field(None, max_length=2000)
    visibility: CommunityVisibility | None = None


class CreateCommunity(_CommunitySettings):
    name: str = Field(max_length=255)
    title: str = Field(max_length=1000)


class EditCommunity(_CommunitySettings):
    community_id: Id
    title: str | None = Field(None, max_length=1000)


class CommunityResponse(Shape):
    community_view: CommunityView
    discussion_languages: list[Id]


class ListCommunities(Paging):
    type_: ListingType | None = None
    sort: SortType | None = None
    show_nsfw: bool | None = None


class ListCommunitiesResponse(Shape):
    communities: list[CommunityView]


class BlockCommunityResponse(Shape):
    community_view: CommunityView
    blocked: bool


class AddModToCommunityResponse(Shape):
    moderators: list[CommunityModeratorView]
