"""Comment requests and answers (GetComments, CreateComment, CreateCommentLike …)."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.comments import CommentVote
from agora.api.shapes.comments import CreateComment as CreateComment
from agora.api.shapes.comments import DeleteComment as DeleteComment
from agora.api.shapes.comments import EditComment as EditComment
from agora.api.shapes.comments import GetComment as GetComment
from agora.api.shapes.comments import SaveComment as SaveComment
from agora.api.v4.shapes.base import CommunityListing, Form, Id, Paged, Shape, upvote_score
from agora.api.v4.shapes.enums import CommentSortType, ListingType
from agora.api.v4.shapes.views import CommentView


class GetComments(CommunityListing):
    type_: ListingType | None = None
    sort: CommentSortType | None = None
    max_depth: int | None = Field(None, ge=1, le=1000)
    post_id: Id | None = None
    parent_id: Id | None = None


class CreateCommentLike(CommentVote):
    is_upvote: bool | None = None

    def vote(self) -> int:
        return upvote_score(self.is_upvote)


class LockComment(Form):
    comment_id: Id
    locked: bool
    reason: str | None = Field(None, max_length=10_000)


class CommentResponse(Shape):
    comment_view: CommentView


class PagedComments(Paged[CommentView]):
    pass
