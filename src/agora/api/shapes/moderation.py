"""Moderation and administration requests Lemmy 1.0 kept from 0.19, and what both faces' GetModlog narrow to."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.base import Form, Id
from agora.queries.modlog import ModlogFilter

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


class ModlogTargets(Form):
    """What both faces' GetModlog narrow the log to, each optional; each face adds its paging and its action kinds."""

    mod_person_id: Id | None = None
    community_id: Id | None = None
    other_person_id: Id | None = None
    post_id: Id | None = None
    comment_id: Id | None = None

    def filter(
        self, kind: str | None, *, page: int = 1, limit: int, cursor_id: int | None = None, page_back: bool = False
    ) -> ModlogFilter:
        """The query for the entries of `kind` (one of Agora's, 0.19's names) about these targets."""
        targets = self.model_dump(include=set(ModlogTargets.model_fields))
        return ModlogFilter(kind=kind, page=page, limit=limit, cursor_id=cursor_id, page_back=page_back, **targets)
