"""GET /site and the account summary it carries (MyUserInfo)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from agora.api.shapes.site import community_relations, rate_limit_fields
from agora.api.v3.shapes.base import Form, Shape, Timestamp, pick
from agora.api.v3.shapes.enums import ListingType, PostListingMode, RegistrationMode, SortType
from agora.api.v3.shapes.objects import Person, PersonAggregates, community_json, person_counts, person_json
from agora.api.v3.shapes.views import (
    CommunityBlockView,
    CommunityFollowerView,
    CommunityModeratorView,
    PersonBlockView,
    PersonView,
    person_view_json,
)
from agora.config import SERVED_VERSION
from agora.queries import site as site_queries
from agora.queries import views as v

RATE_LIMIT_FIELDS = (
    "local_site_id",
    "message",
    "message_per_second",
    "post",
    "post_per_second",
    "register",
    "register_per_second",
    "image",
    "image_per_second",
    "comment",
    "comment_per_second",
    "search",
    "search_per_second",
    "published",
    "updated",
    "import_user_settings",
    "import_user_settings_per_second",
)
# Lemmy's LocalUser: the account's columns but its secret (sent as totp_2fa_enabled) and the vote display mode
# (sent beside it as local_user_vote_display_mode).
LOCAL_USER_FIELDS = tuple(
    name for name in site_queries.LOCAL_USER if name != "totp_2fa_secret" and not name.startswith("vote_display_")
)
INSTANCE_FIELDS = ("id", "domain", "published", "updated", "software", "version")


class Site(Shape):
    id: int
    name: str
    sidebar: str | None = None
    published: Timestamp
    updated: Timestamp | None = None
    icon: str | None = None
    banner: str | None = None
    description: str | None = None
    actor_id: str
    last_refreshed_at: Timestamp
    inbox_url: str
    public_key: str
    instance_id: int
    content_warning: str | None = None


class LocalSite(Shape):
    id: int
    site_id: int
    site_setup: bool
    enable_downvotes: bool
    enable_nsfw: bool
    community_creation_admin_only: bool
    require_email_verification: bool
    application_question: str | None = None
    private_instance: bool
    default_theme: str
    default_post_listing_type: str
    legal_information: str | None = None
    hide_modlog_mod_names: bool
    application_email_admins: bool
    slur_filter_regex: str | None = None
    actor_name_max_length: int
    federation_enabled: bool
    captcha_enabled: bool
    captcha_difficulty: str
    published: Timestamp
    updated: Timestamp | None = None
    registration_mode: str
    reports_email_admins: bool
    federation_signed_fetch: bool
    default_post_listing_mode: str
    default_sort_type: str


class LocalSiteRateLimit(Shape):
    local_site_id: int
    message: int
    message_per_second: int
    post: int
    post_per_second: int
    register_: int = Field(alias="register")
    register_per_second: int
    image: int
    image_per_second: int
    comment: int
    comment_per_second: int
    search: int
    search_per_second: int
    published: Timestamp
    updated: Timestamp | None = None
    import_user_settings: int
    import_user_settings_per_second: int


class SiteAggregates(Shape):
    site_id: int
    users: int
    posts: int
    comments: int
    communities: int
    users_active_day: int
    users_active_week: int
    users_active_month: int
    users_active_half_year: int


class SiteView(Shape):
    site: Site
    local_site: LocalSite
    local_site_rate_limit: LocalSiteRateLimit
    counts: SiteAggregates


class Language(Shape):
    id: int
    code: str
    name: str


class Tagline(Shape):
    id: int
    local_site_id: int
    content: str
    published: Timestamp
    updated: Timestamp | None = None


class CustomEmoji(Shape):
    id: int
    local_site_id: int
    shortcode: str
    image_url: str
    alt_text: str
    category: str
    published: Timestamp
    updated: Timestamp | None = None


class CustomEmojiKeyword(Shape):
    custom_emoji_id: int
    keyword: str


class CustomEmojiView(Shape):
    custom_emoji: CustomEmoji
    keywords: list[CustomEmojiKeyword]


class LocalUser(Shape):
    id: int
    person_id: int
    email: str | None = None
    show_nsfw: bool
    theme: str
    default_sort_type: str
    default_listing_type: str
    interface_language: str
    show_avatars: bool
    send_notifications_to_email: bool
    show_scores: bool
    show_bot_accounts: bool
    show_read_posts: bool
    email_verified: bool
    accepted_application: bool
    open_links_in_new_tab: bool
    blur_nsfw: bool
    auto_expand: bool
    infinite_scroll_enabled: bool
    admin: bool
    post_listing_mode: str
    totp_2fa_enabled: bool
    enable_keyboard_navigation: bool
    enable_animated_images: bool
    collapse_bot_comments: bool
    last_donation_notification: Timestamp


class LocalUserVoteDisplayMode(Shape):
    local_user_id: int
    score: bool
    upvotes: bool
    downvotes: bool
    upvote_percentage: bool


class LocalUserView(Shape):
    local_user: LocalUser
    local_user_vote_display_mode: LocalUserVoteDisplayMode
    person: Person
    counts: PersonAggregates


class Instance(Shape):
    id: int
    domain: str
    published: Timestamp
    updated: Timestamp | None = None
    software: str | None = None
    version: str | None = None


class InstanceBlockView(Shape):
    person: Person
    instance: Instance
    site: Site | None = None


class MyUserInfo(Shape):
    local_user_view: LocalUserView
    follows: list[CommunityFollowerView]
    moderates: list[CommunityModeratorView]
    community_blocks: list[CommunityBlockView]
    instance_blocks: list[InstanceBlockView]
    person_blocks: list[PersonBlockView]
    discussion_languages: list[int]


class LocalSiteUrlBlocklist(Shape):
    id: int
    url: str
    published: Timestamp
    updated: Timestamp | None = None


class GetSiteResponse(Shape):
    site_view: SiteView
    admins: list[PersonView]
    version: str
    my_user: MyUserInfo | None = None
    all_languages: list[Language]
    discussion_languages: list[int]
    taglines: list[Tagline]
    custom_emojis: list[CustomEmojiView]
    blocked_urls: list[LocalSiteUrlBlocklist]


class SiteResponse(Shape):
    site_view: SiteView
    taglines: list[Tagline]


# The objects' fields, as their models declare them (rows may carry more columns)
SITE_FIELDS = tuple(Site.model_fields)
LOCAL_SITE_FIELDS = tuple(LocalSite.model_fields)


def _v3_registration(local_site: dict[str, Any]) -> dict[str, Any]:
    """0.19 knows no invitations, and its apps cannot send one: to them a site that requires one is closed."""
    if local_site.get("registration_mode") == "RequireInvitation":
        local_site["registration_mode"] = "Closed"
    return local_site


def site_view_json(info: v.SiteInfo) -> dict[str, Any]:
    ls = info.local_site
    site = pick(info.site, SITE_FIELDS)
    site.setdefault("public_key", "")
    return {
        "site": site,
        "local_site": _v3_registration(pick(ls, LOCAL_SITE_FIELDS)),
        "local_site_rate_limit": pick(info.rate_limit, RATE_LIMIT_FIELDS),
        "counts": {
            "site_id": info.site["id"],
            "users": ls["users"],
            "posts": ls["posts"],
            "comments": ls["comments"],
            "communities": ls["communities"],
            "users_active_day": ls["users_active_day"],
            "users_active_week": ls["users_active_week"],
            "users_active_month": ls["users_active_month"],
            "users_active_half_year": ls["users_active_half_year"],
        },
    }


def custom_emoji_json(emoji: dict[str, Any], keywords: list[str]) -> dict[str, Any]:
    fields = ("id", "local_site_id", "shortcode", "image_url", "alt_text", "category", "published", "updated")
    return {
        "custom_emoji": pick(emoji, fields),
        "keywords": [{"custom_emoji_id": emoji["id"], "keyword": k} for k in keywords],
    }


def tagline_json(row: dict[str, Any]) -> dict[str, Any]:
    return pick(row, ("id", "local_site_id", "content", "published", "updated"))


def local_user_view_json(view: v.LocalUserItem) -> dict[str, Any]:
    user = view.local_user
    local_user = pick(user, LOCAL_USER_FIELDS)
    local_user["totp_2fa_enabled"] = bool(user.get("totp_2fa_secret"))
    return {
        "local_user": local_user,
        "local_user_vote_display_mode": {
            "local_user_id": user["id"],
            "score": user["vote_display_score"],
            "upvotes": user["vote_display_upvotes"],
            "downvotes": user["vote_display_downvotes"],
            "upvote_percentage": user["vote_display_upvote_percentage"],
        },
        "person": person_json(view.person),
        "counts": person_counts(view.person),
    }


def my_user_json(info: v.AccountSummary) -> dict[str, Any]:
    me = person_json(info.local_user_view.person)
    return {
        "local_user_view": local_user_view_json(info.local_user_view),
        **community_relations(info, me, community_json),
        "community_blocks": [{"person": me, "community": community_json(c)} for c in info.community_blocks],
        "instance_blocks": [{"person": me, "instance": pick(i, INSTANCE_FIELDS)} for i in info.instance_blocks],
        "person_blocks": [{"person": me, "target": person_json(p)} for p in info.person_blocks],
        "discussion_languages": info.discussion_languages,
    }


def get_site_json(info: v.SiteInfo, my_user: v.AccountSummary | None) -> dict[str, Any]:
    out = {
        "site_view": site_view_json(info),
        "admins": [person_view_json(a) for a in info.admins],
        "version": SERVED_VERSION,
        "all_languages": info.all_languages,
        "discussion_languages": info.discussion_languages,
        "taglines": [tagline_json(t) for t in info.taglines],
        "custom_emojis": [custom_emoji_json(e, k) for e, k in info.custom_emojis],
        "blocked_urls": [pick(row, ("id", "url", "published", "updated")) for row in info.blocked_urls],
    }
    if my_user is not None:
        out["my_user"] = my_user_json(my_user)
    return out


# 0.19's names: a bucket's count, then its interval `_per_second`
_RATE_LIMITS = rate_limit_fields(("", "_per_second"), most=10_000_000)
_RateLimits = create_model("RateLimits", __base__=Form, **_RATE_LIMITS)


class EditSite(_RateLimits):
    name: str | None = Field(None, max_length=1000)
    sidebar: str | None = Field(None, max_length=100_000)
    description: str | None = Field(None, max_length=10_000)
    icon: str | None = Field(None, max_length=2000)
    banner: str | None = Field(None, max_length=2000)
    enable_downvotes: bool | None = None
    enable_nsfw: bool | None = None
    community_creation_admin_only: bool | None = None
    require_email_verification: bool | None = None
    application_question: str | None = Field(None, max_length=20_000)
    private_instance: bool | None = None
    default_theme: str | None = Field(None, max_length=64)
    default_post_listing_type: ListingType | None = None
    default_sort_type: SortType | None = None
    legal_information: str | None = Field(None, max_length=100_000)
    application_email_admins: bool | None = None
    hide_modlog_mod_names: bool | None = None
    discussion_languages: list[int] | None = Field(None, max_length=1000)
    slur_filter_regex: str | None = Field(None, max_length=4000)
    actor_name_max_length: int | None = Field(None, ge=0, le=100_000)
    federation_enabled: bool | None = None
    federation_debug: bool | None = None
    captcha_enabled: bool | None = None
    captcha_difficulty: str | None = Field(None, max_length=16)
    allowed_instances: list[str] | None = Field(None, max_length=10_000)
    blocked_instances: list[str] | None = Field(None, max_length=10_000)
    blocked_urls: list[str] | None = Field(None, max_length=10_000)
    taglines: list[str] | None = Field(None, max_length=1000)
    registration_mode: RegistrationMode | None = None
    reports_email_admins: bool | None = None
    content_warning: str | None = Field(None, max_length=10_000)
    default_post_listing_mode: PostListingMode | None = None


class CreateSite(EditSite):
    name: str = Field(max_length=1000)
