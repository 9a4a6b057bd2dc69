"""Account requests and answers: Register, Login, LoginResponse, SaveUserSettings, blocks, unread counts."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.accounts import URLS, AccountPreferences, SettingsBackupFields
from agora.api.shapes.accounts import BlockPerson as BlockPerson
from agora.api.shapes.accounts import LoginResponse as LoginResponse
from agora.api.shapes.communities import BlockCommunity as BlockCommunity
from agora.api.v4.shapes.base import Form, Shape
from agora.api.v4.shapes.enums import CommentSortType, ListingType, PostSortType


class Register(Form):
    username: str = Field(max_length=255)
    password: str = Field(max_length=1000)
    password_verify: str = Field(max_length=1000)
    show_nsfw: bool | None = None
    email: str | None = Field(None, max_length=255)
    captcha_uuid: str | None = Field(None, max_length=100)
    captcha_answer: str | None = Field(None, max_length=100)
    honeypot: str | None = Field(None, max_length=1000)
    answer: str | None = Field(None, max_length=100_000)
    stay_logged_in: bool | None = None
    token: str | None = Field(None, max_length=100, description="a registration invitation's token")


class Login(Form):
    username_or_email: str = Field(max_length=255)
    password: str = Field(max_length=1000)
    totp_2fa_token: str | None = Field(None, max_length=16)
    stay_logged_in: bool | None = None


class SaveUserSettings(AccountPreferences):
    default_listing_type: ListingType | None = None
    post_listing_mode: str | None = Field(None, max_length=32)
    default_post_sort_type: PostSortType | None = None
    default_comment_sort_type: CommentSortType | None = None
    display_name: str | None = Field(None, max_length=1000)
    email: str | None = Field(None, max_length=255)
    bio: str | None = Field(None, max_length=100_000)
    matrix_user_id: str | None = Field(None, max_length=1000)
    animated_images_enabled: bool | None = None
    show_score: bool | None = None


class UnreadCountsResponse(Shape):
    notification_count: int
    report_count: int | None = None
    pending_follow_count: int | None = None
    registration_application_count: int | None = None


class UserSettingsBackup(SettingsBackupFields):
    blocked_instances_communities: list[str] = URLS
    blocked_instances_persons: list[str] = URLS
