"""Post requests Lemmy 1.0 kept from 0.19, and the vote both faces cast (each in its own words)."""

from __future__ import annotations

from abc import abstractmethod

from pydantic import Field

from agora.api.shapes.base import Form, Id


class GetPost(Form):
    id: Id | None = None
    comment_id: Id | None = None


class DeletePost(Form):
    post_id: Id
    deleted: bool


class SavePost(Form):
    post_id: Id
    save: bool


class GetSiteMetadata(Form):
    url: str = Field(max_length=2000)


class PostVote(Form):
    """A vote on a post; each face says it in its own words (0.19's `score`, 1.0's `is_upvote`)."""

    post_id: Id

    @abstractmethod
    def vote(self) -> int:
        """The vote as Agora's rule takes it: 1, -1, or 0 to take it back."""
