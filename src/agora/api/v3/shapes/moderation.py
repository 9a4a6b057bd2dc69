"""Moderation and administration: requests and responses (Lemmy 0.19's, plus Agora's warnings)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agora.api.shapes.moderation import AddAdmin as AddAdmin
from agora.api.shapes.moderation import DistinguishComment as DistinguishComment
from agora.api.shapes.moderation import HideCommunity as HideCommunity
from agora.api.shapes.moderation import ModlogTargets
from agora.api.shapes.moderation import PurgeComment as PurgeComment
from agora.api.shapes.moderation import PurgeCommunity as PurgeCommunity
from agora.api.shapes.moderation import PurgePerson as PurgePerson
from agora.api.shapes.moderation import PurgePost as PurgePost
from agora.api.v3.shapes.base import Form, Id, Paging, Shape, Timestamp, pick
from agora.api.v3.shapes.enums import PostFeatureType
from agora.api.v3.shapes.objects import Community, Person, community_json, person_json, with_person
from agora.api.v3.shapes.views import PersonView
from agora.domain.bans import BanTerms
from agora.queries import warnings as warning_queries

Reason = str | None
REASON = Field(None, max_length=10_000)

ModlogActionType = Literal[
    "All",
    "ModRemovePost",
    "ModLockPost",
    "ModFeaturePost",
    "ModRemoveComment",
    "ModRemoveCommunity",
    "ModBanFromCommunity",
    "ModAddCommunity",
    "ModTransferCommunity",
    "ModAdd",
    "ModBan",
    "ModHideCommunity",
    "AdminPurgePerson",
    "AdminPurgeCommunity",
    "AdminPurgePost",
    "AdminPurgeComment",
    "AgoraWarn",
]


class FeaturePost(Form):
    post_id: Id
    featured: bool
    feature_type: PostFeatureType


class BanPerson(Form):
    person_id: Id
    ban: bool
    remove_data: bool | None = None
    reason: Reason = REASON
    expires: int | None = Field(None, description="seconds since the epoch; absent for a permanent ban")

    def terms(self) -> BanTerms:
        """The ban as domain.bans takes it."""
        return BanTerms(ban=self.ban, reason=self.reason, expires=self.expires, remove_data=bool(self.remove_data))


class BanFromCommunity(BanPerson):
    community_id: Id


class BanResponse(Shape):
    person_view: PersonView
    banned: bool


class BannedPersonsResponse(Shape):
    banned: list[PersonView]


class AddAdminResponse(Shape):
    admins: list[PersonView]


class ListRegistrationApplications(Paging):
    unread_only: bool | None = None


class ApproveRegistrationApplication(Form):
    id: Id
    approve: bool
    deny_reason: Reason = REASON


class RegistrationApplicationView(Shape):
    registration_application: dict[str, Any]
    creator_local_user: dict[str, Any]
    creator: Person
    admin: Person | None = None


class ListRegistrationApplicationsResponse(Shape):
    registration_applications: list[RegistrationApplicationView]


class RegistrationApplicationResponse(Shape):
    registration_application: RegistrationApplicationView


class GetUnreadRegistrationApplicationCountResponse(Shape):
    registration_applications: int


class GetModlog(ModlogTargets, Paging):
    type_: ModlogActionType | None = None


class GetModlogResponse(Shape):
    removed_posts: list[dict[str, Any]]
    locked_posts: list[dict[str, Any]]
    featured_posts: list[dict[str, Any]]
    removed_comments: list[dict[str, Any]]
    removed_communities: list[dict[str, Any]]
    banned_from_community: list[dict[str, Any]]
    banned: list[dict[str, Any]]
    added_to_community: list[dict[str, Any]]
    transferred_to_community: list[dict[str, Any]]
    added: list[dict[str, Any]]
    admin_purged_persons: list[dict[str, Any]]
    admin_purged_communities: list[dict[str, Any]]
    admin_purged_posts: list[dict[str, Any]]
    admin_purged_comments: list[dict[str, Any]]
    hidden_communities: list[dict[str, Any]]
    agora_warnings: list[dict[str, Any]] = Field(default_factory=list, description="Agora: warnings given")


class CreateWarning(Form):
    """Agora: warn the author of a post or of a comment (give exactly one)."""

    post_id: Id | None = None
    comment_id: Id | None = None
    reason: str = Field(max_length=10_000)


class ListWarnings(Paging):
    """Agora: a person's warnings; without person_id, your own."""

    person_id: Id | None = None


class Warning(Shape):
    id: int
    person_id: int
    mod_person_id: int
    community_id: int
    post_id: int | None = None
    comment_id: int | None = None
    reason: str
    read: bool
    published: Timestamp


class WarningView(Shape):
    warning: Warning
    person: Person
    moderator: Person | None = None
    community: Community


class WarningResponse(Shape):
    warning_view: WarningView


class ListWarningsResponse(Shape):
    warnings: list[WarningView]
    count: int


WARNING_FIELDS = tuple(Warning.model_fields)


def warning_view_json(view: warning_queries.WarningItem) -> dict[str, Any]:
    out = {
        "warning": pick(view.warning, WARNING_FIELDS),
        "person": person_json(view.person),
        "community": community_json(view.community),
    }
    return with_person(out, "moderator", view.moderator)


class ListPostLikes(Paging):
    post_id: Id


class ListCommentLikes(Paging):
    comment_id: Id


class VoteView(Shape):
    creator: Person
    creator_banned_from_community: bool
    score: int


class ListPostLikesResponse(Shape):
    post_likes: list[VoteView]


class ListCommentLikesResponse(Shape):
    comment_likes: list[VoteView]


class GetRegistrationApplication(Form):
    person_id: Id
