"""Moderation and administration requests (RemovePost, LockPost, BanFromCommunity, BanPerson, AddAdmin …)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agora.api.shapes import moderation
from agora.api.shapes.communities import AddModToCommunity as AddModToCommunity
from agora.api.shapes.communities import DeleteCommunity as DeleteCommunity
from agora.api.shapes.communities import TransferCommunity as TransferCommunity
from agora.api.shapes.moderation import AddAdmin as AddAdmin
from agora.api.shapes.moderation import DistinguishComment as DistinguishComment
from agora.api.shapes.moderation import HideCommunity as HideCommunity
from agora.api.shapes.moderation import PurgeComment as PurgeComment
from agora.api.shapes.moderation import PurgeCommunity as PurgeCommunity
from agora.api.shapes.moderation import PurgePerson as PurgePerson
from agora.api.shapes.moderation import PurgePost as PurgePost
from agora.api.v4.shapes.base import Form, Id, Shape
from agora.api.v4.shapes.views import CommunityModeratorView, PersonView
from agora.domain.bans import BanTerms

Reason = Field(max_length=10_000)


class RemovePost(moderation.RemovePost):
    reason: str = Reason


class LockPost(moderation.LockPost):
    reason: str | None = Field(None, max_length=10_000)


class FeaturePost(Form):
    post_id: Id
    featured: bool
    feature_type: Literal["local", "community"]


class RemoveComment(moderation.RemoveComment):
    reason: str = Reason


class RemoveCommunity(moderation.RemoveCommunity):
    reason: str = Reason


class BanPerson(Form):
    person_id: Id
    ban: bool
    remove_or_restore_data: bool | None = None
    reason: str = Reason
    expires_at: int | None = Field(None, ge=0, le=2**40)

    def terms(self) -> BanTerms:
        """The ban as domain.bans takes it."""
        remove_data = bool(self.remove_or_restore_data)
        return BanTerms(ban=self.ban, reason=self.reason, expires=self.expires_at, remove_data=remove_data)


class BanFromCommunity(BanPerson):
    community_id: Id


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
