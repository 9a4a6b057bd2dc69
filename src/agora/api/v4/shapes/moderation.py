"""Moderation and administration requests (RemovePost, LockPost, BanFromCommunity, BanPerson, AddAdmin …)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agora.api.v4.shapes.base import Form, Id, Shape
from agora.api.v4.shapes.views import CommunityModeratorView, PersonView

Reason = Field(max_length=10_000)


class RemovePost(Form):
    post_id: Id
    removed: bool
    reason: str = Reason


class LockPost(Form):
    post_id: Id
    locked: bool
    reason: str | None = Field(None, max_length=10_000)


class FeaturePost(Form):
    post_id: Id
    featured: bool
    feature_type: Literal["local", "community"]


class RemoveComment(Form):
    comment_id: Id
    removed: bool
    reason: str = Reason


class DistinguishComment(Form):
    comment_id: Id
    distinguished: bool


class RemoveCommunity(Form):
    community_id: Id
    removed: bool
    reason: str = Reason


class HideCommunity(Form):
    community_id: Id
    hidden: bool
    reason: str | None = Field(None, max_length=10_000)


class DeleteCommunity(Form):
    community_id: Id
    deleted: bool


class BanFromCommunity(Form):
    community_id: Id
    person_id: Id
    ban: bool
    remove_or_restore_data: bool | None = None
    reason: str = Reason
    expires_at: int | None = Field(None, ge=0, le=2**40)


class AddModToCommunity(Form):
    community_id: Id
    person_id: Id
    added: bool


class TransferCommunity(Form):
    community_id: Id
    person_id: Id


class BanPerson(Form):
    person_id: Id
    ban: bool
    remove_or_restore_data: bool | None = None
    reason: str = Reason
    expires_at: int | None = Field(None, ge=0, le=2**40)


class AddAdmin(Form):
    person_id: Id
    added: bool


class PurgePost(Form):
    post_id: Id
    reason: str | None = Field(None, max_length=10_000)


class PurgeComment(Form):
    comment_id: Id
    reason: str | None = Field(None, max_length=10_000)


class PurgeCommunity(Form):
    community_id: Id
    reason: str | None = Field(None, max_length=10_000)


class PurgePerson(Form):
    person_id: Id
    reason: str | None = Field(None, max_length=10_000)


class PersonResponse(Shape):
    person_view: PersonView


class AddModToCommunityResponse(Shape):
    moderators: list[CommunityModeratorView]


class AddAdminResponse(Shape):
    admins: list[PersonView]


class WarnPost(Form):
    post_id: Id
    reason: str = Reason


class WarnComment(Form):
    comment_id: Id
    reason: str = Reason
