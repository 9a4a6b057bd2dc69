"""Account requests and answers Lemmy 1.0 kept from 0.19, and what both faces' settings backups hold."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agora.api.shapes.base import Form, Id, Shape

URLS: Any = Field(default_factory=list, max_length=1000)


class LoginResponse(Shape):
    jwt: str | None = None
    registration_created: bool
    verify_email_sent: bool


class BlockPerson(Form):
    person_id: Id
    block: bool


class AccountPreferences(Form):
    """The settings both faces' SaveUserSettings take alike, each optional (each face adds its own)."""

    show_nsfw: bool | None = None
    blur_nsfw: bool | None = None
    theme: str | None = Field(None, max_length=64)
    interface_language: str | None = Field(None, max_length=20)
    show_avatars: bool | None = None
    send_notifications_to_email: bool | None = None
    bot_account: bool | None = None
    show_bot_accounts: bool | None = None
    show_read_posts: bool | None = None
    discussion_languages: list[Id] | None = Field(None, max_length=1000)
    open_links_in_new_tab: bool | None = None
    infinite_scroll_enabled: bool | None = None
    collapse_bot_comments: bool | None = None
    show_upvotes: bool | None = None
    show_upvote_percentage: bool | None = None


class Profile(Form):
    """A person's profile as 0.19's SaveUserSettings and both faces' settings backups set it, each optional."""

    display_name: str | None = Field(None, max_length=255)
    bio: str | None = Field(None, max_length=20_000)
    avatar: str | None = Field(None, max_length=2000)
    banner: str | None = Field(None, max_length=2000)


class SettingsBackupFields(Profile):
    """Lemmy's UserSettingsBackup as both faces take it; each adds its lists of blocked instances."""

    matrix_id: str | None = Field(None, max_length=255)
    bot_account: bool | None = None
    settings: dict[str, Any] | None = Field(None, description="a LocalUser; its portable settings are applied")
    followed_communities: list[str] = URLS
    saved_posts: list[str] = URLS
    saved_comments: list[str] = URLS
    blocked_communities: list[str] = URLS
    blocked_users: list[str] = URLS


class AccountAliases(Form):
    """Agora's: the accounts this one also is (ActivityPub alsoKnownAs), by handle (`@name@host`) or actor URL;
    an account one moves to must list the old one first."""

    aliases: list[str] = Field(default_factory=list, max_length=10)


class MoveAccount(Form):
    """Agora's: move this account to `target` (a handle or actor URL) that lists it among its aliases."""

    target: str = Field(min_length=1, max_length=2000)
    password: str = Field(max_length=1000)


class GetPersonMove(Form):
    person_id: Id


class MoveState(Shape):
    """Agora's: an actor's aliases (alsoKnownAs), and the actor it moved to (movedTo)."""

    actor_id: str
    also_known_as: list[str]
    moved_to: str | None = None


class PersonMoveResponse(MoveState):
    """An account's move state, with our id of the account it moved to when we hold it."""

    person_id: int
    moved_to_person_id: int | None = None


class CommunityAliases(Form):
    """Agora's: the communities this one also is, by handle (`!name@host`) or actor URL (top moderator or admin)."""

    community_id: Id
    aliases: list[str] = Field(default_factory=list, max_length=10)


class MoveCommunity(Form):
    """Agora's: move this community to `target` (a handle or actor URL), which lists it among its aliases."""

    community_id: Id
    target: str = Field(min_length=1, max_length=2000)


class GetCommunityMove(Form):
    community_id: Id


class CommunityMoveResponse(MoveState):
    """A community's move state, with our id of the community it moved to when we hold it."""

    community_id: int
    moved_to_community_id: int | None = None
