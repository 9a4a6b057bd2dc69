"""Comments: requests and responses."""

from __future__ import annotations

from pydantic import Field

from agora.api.v3.shapes.base import Count, Form, Id, Shape
from agora.api.v3.shapes.enums import CommentSortType, ListingType
from agora.api.v3.shapes.views import CommentView


class GetComments(Form):
    type_: ListingType | None = None
    sort: CommentSortType | None = None
    max_depth: Count | None = None
    page: Count | None = None
    limit: Count | None = None
    community_id: Id | None = None
    community_name: str | None = Field(None, max_length=512)
    post_id: Id | None = None
    parent_id: Id | None = None
    saved_only: bool | None = None
    liked_only: bool | None = None
    disliked_only: bool | None = None


class GetCommentsResponse(Shape):
    comments: list[CommentView]


class GetComment(Form):
    id: Id


class CreateComment(Form):
    content: str = Field(max_length=100_000)
    post_id: Id
    parent_id: Id | None = None
    language_id: Id | None = None


class EditComment(Form):
    comment_id: Id
    content: str | None = Field(None, max_length=100_000)
    language_id: Id | None = None


class DeleteComment(Form):
    comment_id: Id
    deleted: bool


class CreateCommentLike(Form):
    comment_id: Id
    score: Count


class SaveComment(Form):
    comment_id: Id
    save: bool


class CommentResponse(Shape):
    comment_view: CommentView
    recipient_ids: list[Id]
