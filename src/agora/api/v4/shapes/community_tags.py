"""Community tag requests (CreateCommunityTag, EditCommunityTag, DeleteCommunityTag); answers are CommunityTag."""

from __future__ import annotations

from pydantic import Field

from agora.api.v4.shapes.base import Form, Id
from agora.api.v4.shapes.views import TagColor


class CreateCommunityTag(Form):
    community_id: Id
    name: str = Field(max_length=255)
    display_name: str | None = Field(None, max_length=255)
    summary: str | None = Field(None, max_length=10_000)
    color: TagColor | None = None


class EditCommunityTag(Form):
    tag_id: Id
    display_name: str | None = Field(None, max_length=255)
    summary: str | None = Field(None, max_length=10_000)
    color: TagColor | None = None


class DeleteCommunityTag(Form):
    tag_id: Id
    delete: bool
