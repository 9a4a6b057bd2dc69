"""Post requests and answers (GetPosts, CreatePost, CreatePostLike …)."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.posts import DeletePost as DeletePost
from agora.api.shapes.posts import GetPost as GetPost
from agora.api.shapes.posts import GetSiteMetadata as GetSiteMetadata
from agora.api.shapes.posts import PostVote
from agora.api.shapes.posts import SavePost as SavePost
from agora.api.v4.shapes.base import CommunityListing, CursorPaging, Form, Id, Paged, Shape, upvote_score
from agora.api.v4.shapes.enums import ListingType, PostSortType
from agora.api.v4.shapes.views import CommunityModeratorView, CommunityView, PostView


class GetPosts(CommunityListing):
    type_: ListingType | None = None
    sort: PostSortType | None = None
    time_range_seconds: int | None = Field(None, ge=1, le=2**31 - 1)
    multi_community_id: Id | None = None
    multi_community_name: str | None = Field(None, max_length=300)
    show_hidden: bool | None = None
    show_read: bool | None = None
    show_nsfw: bool | None = None
    tag_id: Id | None = None  # only posts carrying this community tag


class _PostFields(Form):
    """What CreatePost and EditPost both may set, each optional."""

    url: str | None = Field(None, max_length=2000)
    body: str | None = Field(None, max_length=100_000)
    alt_text: str | None = Field(None, max_length=1500)
    nsfw: bool | None = None
    language_id: Id | None = None
    custom_thumbnail: str | None = Field(None, max_length=2000)
    tags: list[Id] | None = Field(None, max_length=100)  # community tags of the post's community


class CreatePost(_PostFields):
    name: str = Field(max_length=2000)
    community_id: Id
    honeypot: str | None = Field(None, max_length=1000)


class EditPost(_PostFields):
    post_id: Id
    name: str | None = Field(None, max_length=2000)


class CreatePostLike(PostVote):
    is_upvote: bool | None = None  # absent: the vote is taken back

    def vote(self) -> int:
        return upvote_score(self.is_upvote)


class MarkPostAsRead(Form):
    post_id: Id
    read: bool


class PostResponse(Shape):
    post_view: PostView


class GetPostResponse(Shape):
    post_view: PostView
    community_view: CommunityView
    moderators: list[CommunityModeratorView]
    cross_posts: list[PostView]


class PagedPosts(Paged[PostView]):
    pass


class HidePost(Form):
    post_id: Id
    hide: bool


class MarkManyPostsAsRead(Form):
    post_ids: list[Id] = Field(max_length=1000)
    read: bool


class ListPostLikes(CursorPaging):
    post_id: Id


class ListCommentLikes(CursorPaging):
    comment_id: Id


class ModEditPost(Form):
    post_id: Id
    nsfw: bool | None = None
    tags: list[Id] | None = Field(None, max_length=100)
