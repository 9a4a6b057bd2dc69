"""Post requests Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

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
