"""Comments: requests and responses."""

from __future__ import annotations

from agora.api.shapes.comments import CommentVote
from agora.api.shapes.comments import CreateComment as CreateComment
from agora.api.shapes.comments import DeleteComment as DeleteComment
from agora.api.shapes.comments import EditComment as EditComment
from agora.api.shapes.comments import GetComment as GetComment
from agora.api.shapes.comments import SaveComment as SaveComment
from agora.api.v3.shapes.base import CommunityListing, Count, Id, MarkedOnly, Shape
from agora.api.v3.shapes.enums import CommentSortType, ListingType
from agora.api.v3.shapes.views import CommentView


class GetComments(MarkedOnly, CommunityListing):
    type_: ListingType | None = None
    sort: CommentSortType | None = None
    max_depth: Count | None = None
    post_id: Id | None = None
    parent_id: Id | None = None


class GetCommentsResponse(Shape):
    comments: list[CommentView]


class CreateCommentLike(CommentVote):
    score: Count

    def vote(self) -> int:
        return self.score


class CommentResponse(Shape):
    comment_view: CommentView
    recipient_ids: list[Id]
