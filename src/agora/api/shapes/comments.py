"""Comment requests Lemmy 1.0 kept from 0.19, and the vote both faces cast (each in its own words)."""

from __future__ import annotations

from abc import abstractmethod

from pydantic import Field

from agora.api.shapes.base import Form, Id


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


class SaveComment(Form):
    comment_id: Id
    save: bool


class CommentVote(Form):
    """A vote on a comment; each face says it in its own words (0.19's `score`, 1.0's `is_upvote`)."""

    comment_id: Id

    @abstractmethod
    def vote(self) -> int:
        """The vote as Agora's rule takes it: 1, -1, or 0 to take it back."""
