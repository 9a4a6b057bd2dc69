"""Posts: requests and responses."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.posts import DeletePost as DeletePost
from agora.api.shapes.posts import GetPost as GetPost
from agora.api.shapes.posts import GetSiteMetadata as GetSiteMetadata
from agora.api.shapes.posts import PostVote
from agora.api.shapes.posts import SavePost as SavePost
from agora.api.v3.shapes.base import CommunityListing, Count, Form, Id, MarkedOnly, Shape
from agora.api.v3.shapes.enums import ListingType, SortType
from agora.api.v3.shapes.polls import CreatePoll
from agora.api.v3.shapes.views import CommunityModeratorView, CommunityView, PostView


class GetPosts(MarkedOnly, CommunityListing):
    type_: ListingType | None = None
    sort: SortType | None = None
    show_hidden: bool | None = None
    show_read: bool | None = None
    show_nsfw: bool | None = None
    page_cursor: str | None = Field(None, max_length=64)
    page_back: bool | None = Field(None, description="with page_cursor: the page that ends just before that post")


class GetPostsResponse(Shape):
    posts: list[PostView]
    next_page: str | None = None


class GetPostResponse(Shape):
    post_view: PostView
    community_view: CommunityView
    moderators: list[CommunityModeratorView]
    cross_posts: list[PostView]


class _PostFields(Form):
    """What CreatePost and EditPost both may set, each optional."""

    url: str | None = Field(None, max_length=10_000)
    body: str | None = Field(None, max_length=200_000)
    alt_text: str | None = Field(None, max_length=10_000)
    nsfw: bool | None = None
    language_id: Id | None = None
    custom_thumbnail: str | None = Field(None, max_length=10_000)


class CreatePost(_PostFields):
    name: str = Field(max_length=2000)
    community_id: Id
    honeypot: str | None = Field(None, max_length=1000)
    poll: CreatePoll | None = Field(None, description="Agora's extension: the post carries a poll")


class EditPost(_PostFields):
    post_id: Id
    name: str | None = Field(None, max_length=2000)


class PostResponse(Shape):
    post_view: PostView


class CreatePostLike(PostVote):
    score: Count

    def vote(self) -> int:
        return self.score


class MarkPostAsRead(Form):
    post_id: Id | None = None
    post_ids: list[Id] | None = Field(None, max_length=10_000)
    read: bool


class HidePost(Form):
    post_ids: list[Id] = Field(max_length=10_000)
    hide: bool


class LinkMetadata(Shape):
    content_type: str | None = None
    title: str | None = None
    description: str | None = None
    image: str | None = None
    embed_video_url: str | None = None


class GetSiteMetadataResponse(Shape):
    metadata: LinkMetadata
