"""Moderation and administration requests Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.base import Form, Id

Reason = str | None
REASON = Field(None, max_length=10_000)


class RemovePost(Form):
    """Removes or restores a post; 1.0 requires the reason (its subclass says so)."""

    post_id: Id
    removed: bool
    reason: Reason = REASON


class LockPost(Form):
    post_id: Id
    locked: bool


class RemoveComment(Form):
    comment_id: Id
    removed: bool
    reason: Reason = REASON


class RemoveCommunity(Form):
    community_id: Id
    removed: bool
    reason: Reason = REASON


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


class _Purge(Form):
    """A purge's reason; each purge names what it deletes."""

    reason: Reason = REASON


class PurgePerson(_Purge):
    person_id: Id


class PurgeCommunity(_Purge):
    community_id: Id


class PurgePost(_Purge):
    post_id: Id


class PurgeComment(_Purge):
    comment_id: Id
