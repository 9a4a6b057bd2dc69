"""Accounts: register, login, settings, person details."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from agora.api.shapes.accounts import AccountPreferences, Profile
from agora.api.shapes.accounts import BlockPerson as BlockPerson
from agora.api.shapes.accounts import LoginResponse as LoginResponse
from agora.api.shapes.base import SuccessResponse as SuccessResponse
from agora.api.v3.shapes.base import Form, Id, Paging, Shape, Timestamp
from agora.api.v3.shapes.enums import ListingType, PostListingMode, SortType
from agora.api.v3.shapes.site import Site
from agora.api.v3.shapes.views import CommentView, CommunityModeratorView, PersonView, PostView

# A password as a request carries it: its rules (domain.limits) apply after the size bound
Password = Annotated[str, Field(max_length=1024)]


class Register(Form):
    username: str = Field(max_length=255)
    password: Password
    password_verify: Password
    show_nsfw: bool | None = None
    email: str | None = Field(None, max_length=320)
    captcha_uuid: str | None = Field(None, max_length=64)
    captcha_answer: str | None = Field(None, max_length=64)
    honeypot: str | None = Field(None, max_length=1024)
    answer: str | None = Field(None, max_length=20_000)


class Login(Form):
    username_or_email: str = Field(max_length=320)
    password: Password
    totp_2fa_token: str | None = Field(None, max_length=16)


class SaveUserSettings(Profile, AccountPreferences):
    auto_expand: bool | None = None
    default_sort_type: SortType | None = None
    default_listing_type: ListingType | None = None
    email: str | None = Field(None, max_length=320)
    matrix_user_id: str | None = Field(None, max_length=255)
    post_listing_mode: PostListingMode | None = None
    enable_keyboard_navigation: bool | None = None
    enable_animated_images: bool | None = None
    show_scores: bool | None = None
    show_downvotes: bool | None = None


class ChangePassword(Form):
    new_password: Password
    new_password_verify: Password
    old_password: Password


class DeleteAccount(Form):
    password: Password
    delete_content: bool = False


class PasswordReset(Form):
    email: str = Field(max_length=320)


class PasswordChangeAfterReset(Form):
    token: str = Field(max_length=256)
    password: Password
    password_verify: Password


class VerifyEmail(Form):
    token: str = Field(max_length=256)


class UpdateTotp(Form):
    totp_token: str = Field(max_length=16)
    enabled: bool


class UpdateTotpResponse(Shape):
    enabled: bool


class GenerateTotpSecretResponse(Shape):
    totp_secret_url: str


class LoginToken(Shape):
    user_id: Id
    published: Timestamp
    ip: str | None = None
    user_agent: str | None = None


class GetCaptchaResponse(Shape):
    ok: dict | None = None


class GetPersonDetails(Paging):
    person_id: Id | None = None
    username: str | None = Field(None, max_length=255)
    sort: SortType | None = None
    community_id: Id | None = None
    saved_only: bool | None = None


class GetPersonDetailsResponse(Shape):
    person_view: PersonView
    site: Site | None = None
    comments: list[CommentView]
    posts: list[PostView]
    moderates: list[CommunityModeratorView]


class BlockPersonResponse(Shape):
    person_view: PersonView
    blocked: bool


class BlockInstance(Form):
    instance_id: Id
    block: bool


class BlockInstanceResponse(Shape):
    blocked: bool
