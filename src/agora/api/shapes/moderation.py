"""Moderation and administration requests Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.base import Form, Id

Reason = str | None
REASON = Field(None, max_length=10_000)


class DistinguishComment(Form):
    comment_id: Id
    distinguished: bool


class HideCommunity(Form):
    community_id: Id
    hidden: bool
    reason: Reason = REASON


class AddAdmin(Form):
    person_id: Id
    added: bool


class PurgePerson(Form):
    person_id: Id
    reason: Reason = REASON


class PurgeCommunity(Form):
    community_id: Id
    reason: Reason = REASON


class PurgePost(Form):
    post_id: Id
    reason: Reason = REASON


class PurgeComment(Form):
    comment_id: Id
    reason: Reason = REASON
