"""Report requests Lemmy 1.0 kept from 0.19 (1.0 adds `violates_instance_rules` to the two it extends)."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.base import Form, Id


class CreatePostReport(Form):
    post_id: Id
    reason: str = Field(max_length=10_000)


class CreateCommentReport(Form):
    comment_id: Id
    reason: str = Field(max_length=10_000)


class ResolveReport(Form):
    report_id: Id
    resolved: bool
