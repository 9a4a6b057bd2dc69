"""GetSiteResponse, SiteView, MyUserInfo and LocalUserView as Lemmy 1.0 sends them.

1.0 moved `my_user` out of GET /site (to GET /account), the site's counts into `local_site`, and renamed the
rate limits (`message` → `message_max_requests`, `message_per_second` → `message_interval_seconds`).
"""

from __future__ import annotations

import re
from typing import Any

from agora.api.shapes.site import community_relations
from agora.api.v4.shapes.base import Shape, present
from agora.api.v4.shapes.enums import v4_comment_sort, v4_listing_type, v4_post_sort
from agora.api.v4.shapes.oauth import admin_provider_json, public_provider_json
from agora.api.v4.shapes.objects import community_json, person_json
from agora.api.v4.shapes.views import PersonView, person_view_json
from agora.config import AGORA_VERSION
from agora.queries import views as v

# The Lemmy release whose API v4 this face follows; as on v3, Agora's own release rides in build metadata.
LEMMY_V4_VERSION = "1.0.0-beta.2"
V4_SERVED_VERSION = f"{LEMMY_V4_VERSION}+agora.{AGORA_VERSION}"

_SITE = (
    ("id", "id"),
    ("name", "name"),
    ("sidebar", "sidebar"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("icon", "icon"),
    ("banner", "banner"),
    ("summary", "description"),
    ("ap_id", "actor_id"),
    ("last_refreshed_at", "last_refreshed_at"),
    ("inbox_url", "inbox_url"),
    ("instance_id", "instance_id"),
    ("content_warning", "content_warning"),
)
_LOCAL_SITE = (
    ("suggested_multi_community_id", "suggested_multi_community_id"),
    ("id", "id"),
    ("site_id", "site_id"),
    ("site_setup", "site_setup"),
    ("community_creation_admin_only", "community_creation_admin_only"),
    ("email_verification_required", "require_email_verification"),
    ("application_question", "application_question"),
    ("private_instance", "private_instance"),
    ("default_theme", "default_theme"),
    ("legal_information", "legal_information"),
    ("application_email_admins", "application_email_admins"),
    ("slur_filter_regex", "slur_filter_regex"),
    ("federation_enabled", "federation_enabled"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("registration_mode", "registration_mode"),
    ("reports_email_admins", "reports_email_admins"),
    ("federation_signed_fetch", "federation_signed_fetch"),
    ("users", "users"),
    ("posts", "posts"),
    ("comments", "comments"),
    ("communities", "communities"),
    ("users_active_day", "users_active_day"),
    ("users_active_week", "users_active_week"),
    ("users_active_month", "users_active_month"),
    ("users_active_half_year", "users_active_half_year"),
)
_RATE_LIMITS = ("message", "post", "register", "image", "comment", "search", "import_user_settings")
_LOCAL_USER = (
    ("id", "id"),
    ("person_id", "person_id"),
    ("email", "email"),
    ("show_nsfw", "show_nsfw"),
    ("theme", "theme"),
    ("interface_language", "interface_language"),
    ("show_avatars", "show_avatars"),
    ("send_notifications_to_email", "send_notifications_to_email"),
    ("show_bot_accounts", "show_bot_accounts"),
    ("show_read_posts", "show_read_posts"),
    ("email_verified", "email_verified"),
    ("accepted_application", "accepted_application"),
    ("open_links_in_new_tab", "open_links_in_new_tab"),
    ("blur_nsfw", "blur_nsfw"),
    ("infinite_scroll_enabled", "infinite_scroll_enabled"),
    ("admin", "admin"),
    ("animated_images_enabled", "enable_animated_images"),
    ("collapse_bot_comments", "collapse_bot_comments"),
    ("last_donation_notification_at", "last_donation_notification"),
    ("show_score", "vote_display_score"),
    ("show_upvotes", "vote_display_upvotes"),
    ("show_upvote_percentage", "vote_display_upvote_percentage"),
)


def snake(name: str) -> str:
    """0.19's `SmallCard` as 1.0's `small_card`."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def local_site_json(ls: dict[str, Any]) -> dict[str, Any]:
    out = present(ls, _LOCAL_SITE)
    out["registration_mode"] = snake(ls["registration_mode"])
    out["default_post_listing_type"] = v4_listing_type(ls["default_post_listing_type"])
    out["default_post_listing_mode"] = snake(ls.get("default_post_listing_mode") or "List")
    out["default_post_sort_type"] = v4_post_sort(ls.get("default_sort_type") or "Active")
    out["default_comment_sort_type"] = "hot"
    out["post_downvotes"] = out["comment_downvotes"] = "all" if ls.get("enable_downvotes", True) else "disable"
    out["post_upvotes"] = out["comment_upvotes"] = "all"
    out["nsfw_content_disallowed"] = not ls.get("enable_nsfw", True)
    out["oauth_registration"] = bool(ls.get("oauth_registration"))
    out["email_notifications_disabled"] = False
    out["default_items_per_page"] = 20
    out["image_mode"] = "store_link_previews"
    out["image_upload_disabled"] = False
    return out


def rate_limit_json(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"local_site_id": row["local_site_id"], "published_at": row["published"]}
    for kind in _RATE_LIMITS:
        out[f"{kind}_max_requests"] = row[kind]
        out[f"{kind}_interval_seconds"] = row[f"{kind}_per_second"]
    return out


def get_site_json(
    info: v.SiteInfo, instance: dict[str, Any], *, providers: list[dict[str, Any]] | None = None, admin: bool = False
) -> dict[str, Any]:
    """`providers`: the OAuth login providers a viewer may see (all of them for an admin, else the enabled ones)."""
    ls = info.local_site
    providers = providers or []
    out: dict[str, Any] = {
        "site_view": {
            "site": present(info.site, _SITE),
            "local_site": local_site_json(ls),
            "local_site_rate_limit": rate_limit_json(info.rate_limit),
            "instance": instance,
        },
        "admins": [person_view_json(a) for a in info.admins],
        "version": V4_SERVED_VERSION,
        "all_languages": info.all_languages,
        "discussion_languages": info.discussion_languages,
        "oauth_providers": [public_provider_json(p) for p in providers if p["enabled"]],
        "admin_oauth_providers": [admin_provider_json(p) for p in providers] if admin else [],
        "blocked_urls": [
            present(row, (("id", "id"), ("url", "url"), ("published_at", "published"))) for row in info.blocked_urls
        ],
        "active_plugins": [],
        "captcha_enabled": bool(ls.get("captcha_enabled")),
    }
    if info.taglines:
        tagline = info.taglines[0]
        out["tagline"] = present(tagline, (("id", "id"), ("content", "content"), ("published_at", "published")))
    return out


def local_user_view_json(view: v.LocalUserItem) -> dict[str, Any]:
    user, person = view.local_user, view.person
    local_user = present(user, _LOCAL_USER)
    local_user["default_post_sort_type"] = v4_post_sort(user.get("default_sort_type") or "Active")
    local_user["default_listing_type"] = v4_listing_type(user.get("default_listing_type") or "Local")
    local_user["default_comment_sort_type"] = v4_comment_sort(user.get("default_comment_sort_type") or "Hot")
    local_user["post_listing_mode"] = snake(user.get("post_listing_mode") or "List")
    local_user["totp_2fa_enabled"] = bool(user.get("totp_2fa_secret"))
    local_user["show_downvotes"] = "show" if user.get("vote_display_downvotes", True) else "hide"
    local_user.setdefault("private_messages_enabled", True)
    local_user.update(
        auto_mark_fetched_posts_as_read=False,
        hide_posts_with_media=False,
        show_person_votes=False,
        default_items_per_page=20,
        show_media=True,
    )
    out: dict[str, Any] = {"local_user": local_user, "person": person_json(person), "banned": bool(person["banned"])}
    if person.get("ban_expires") is not None:
        out["ban_expires_at"] = person["ban_expires"]
    return out


def instance_json(row: dict[str, Any]) -> dict[str, Any]:
    return present(
        row,
        (
            ("id", "id"),
            ("domain", "domain"),
            ("published_at", "published"),
            ("updated_at", "updated"),
            ("software", "software"),
            ("version", "version"),
        ),
    )


def my_user_json(info: v.AccountSummary) -> dict[str, Any]:
    me = person_json(info.local_user_view.person)
    return {
        "local_user_view": local_user_view_json(info.local_user_view),
        **community_relations(info, me, community_json),
        "multi_community_follows": [],
        "community_blocks": [community_json(c) for c in info.community_blocks],
        "instance_communities_blocks": [instance_json(i) for i in info.instance_blocks],
        "instance_persons_blocks": [instance_json(i) for i in info.instance_persons_blocks],
        "person_blocks": [person_json(p) for p in info.person_blocks],
        "keyword_blocks": [],
        "discussion_languages": info.discussion_languages,
    }


class SiteView(Shape):
    site: dict[str, Any]
    local_site: dict[str, Any]
    local_site_rate_limit: dict[str, Any]


class GetSiteResponse(Shape):
    site_view: SiteView
    admins: list[PersonView]
    version: str
    all_languages: list[dict[str, Any]]
    discussion_languages: list[int]


class LocalUserView(Shape):
    local_user: dict[str, Any]
    person: dict[str, Any]
    banned: bool


class MyUserInfo(Shape):
    local_user_view: LocalUserView
    follows: list[dict[str, Any]]
    moderates: list[dict[str, Any]]
    community_blocks: list[dict[str, Any]]
    person_blocks: list[dict[str, Any]]
    discussion_languages: list[int]
