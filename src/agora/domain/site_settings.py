"""Admins set up and edit the site: name, texts, registration, federation, rate limits, taglines."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import Language, LocalSite, SiteLanguage
from agora.domain import blocked_urls, federation_rules, limits, multi_communities, released_images, taglines
from agora.domain.events import SiteUpdated, record
from agora.domain.permissions import Acting, require_admin
from agora.domain.rate_limits import BUCKETS
from agora.domain.site import local_site as local_site_row
from agora.domain.site import rate_limits
from agora.domain.site import site as site_row
from agora.domain.user_settings import LISTING_MODES, LISTING_TYPES, SORT_TYPES
from agora.errors import AgoraError, Code

LOCAL_SITE_FLAGS = (
    "enable_downvotes",
    "enable_nsfw",
    "community_creation_admin_only",
    "require_email_verification",
    "private_instance",
    "hide_modlog_mod_names",
    "application_email_admins",
    "federation_enabled",
    "captcha_enabled",
    "reports_email_admins",
    "federation_signed_fetch",
    "oauth_registration",
)
REGISTRATION_MODES = frozenset({"Closed", "RequireApplication", "RequireInvitation", "Open"})
CAPTCHA_DIFFICULTIES = frozenset({"easy", "medium", "hard"})
# settings that take one of a few words → (the words, what a refusal says)
_CHOICES: dict[str, tuple[frozenset[str], str]] = {
    "default_sort_type": (SORT_TYPES, "unknown sort type"),
    "default_post_listing_mode": (LISTING_MODES, "unknown post listing mode"),
    "registration_mode": (REGISTRATION_MODES, "unknown registration mode"),
    "captcha_difficulty": (CAPTCHA_DIFFICULTIES, "captcha_difficulty is easy, medium or hard"),
}


def _optional_text(value: str, max_length: int) -> str | None:
    value = value.strip()
    if len(value) > max_length:
        raise AgoraError(Code.invalid_body_field)
    return value or None


async def setup(session: AsyncSession, here: LocalInstance, actor: Acting, changes: dict[str, Any]) -> None:
    """POST /site: the first admin finishes setting up the site; afterwards only edits are allowed."""
    require_admin(actor)
    local_site = await local_site_row(session, here)
    if local_site.site_setup:
        raise AgoraError(Code.site_already_exists)
    await edit(session, here, actor, changes)
    local_site.site_setup = True


async def mark_set_up(session: AsyncSession, here: LocalInstance) -> None:
    """The site has its admin: registrations from now on make members (`agora admin create` ends here too)."""
    await session.execute(update(LocalSite).where(LocalSite.id == here.local_site_id).values(site_setup=True))


async def edit(session: AsyncSession, here: LocalInstance, actor: Acting, changes: dict[str, Any]) -> None:
    """PUT /site: fields present change, absent ones stay; "" clears optional texts; lists replace."""
    require_admin(actor)
    site = await site_row(session, here)
    local_site = await local_site_row(session, here)
    rate = await rate_limits(session, here)

    def given(name: str) -> bool:
        return changes.get(name) is not None

    if given("name"):
        site.name = limits.check_site_name(changes["name"])
    if given("sidebar"):
        site.sidebar = _optional_text(changes["sidebar"], limits.POST_BODY_MAX)
    if given("description"):
        site.description = limits.check_site_description(changes["description"].strip() or None)
    for field in ("icon", "banner"):
        if given(field):
            image = limits.check_image_url(changes[field].strip() or None)
            released_images.note_replaced(session, actor, getattr(site, field), image)
            setattr(site, field, image)
    if given("content_warning"):
        site.content_warning = _optional_text(changes["content_warning"], limits.MARKDOWN_MAX)

    for flag in LOCAL_SITE_FLAGS:
        if given(flag):
            setattr(local_site, flag, bool(changes[flag]))
    if (given("private_instance") or given("federation_enabled")) and (
        local_site.private_instance and local_site.federation_enabled
    ):
        # What a private instance federated would be public wherever it arrived (Lemmy refuses it too).
        raise AgoraError(Code.cant_enable_private_instance_and_federation_together)
    if given("application_question"):
        local_site.application_question = _optional_text(changes["application_question"], limits.MARKDOWN_MAX)
    if given("legal_information"):
        local_site.legal_information = _optional_text(changes["legal_information"], limits.POST_BODY_MAX)
    if given("default_theme"):
        local_site.default_theme = changes["default_theme"].strip()[:64] or "browser"
    if given("default_post_listing_type"):
        if changes["default_post_listing_type"] not in LISTING_TYPES - {"ModeratorView", "Subscribed"}:
            raise AgoraError(Code.invalid_default_post_listing_type)
        local_site.default_post_listing_type = changes["default_post_listing_type"]
    for name, (allowed, refusal) in _CHOICES.items():
        if given(name):
            if changes[name] not in allowed:
                raise AgoraError(Code.invalid_query, refusal)
            setattr(local_site, name, changes[name])
    if given("actor_name_max_length"):
        value = int(changes["actor_name_max_length"])
        if not 3 <= value <= 255:
            raise AgoraError(Code.invalid_query, "actor_name_max_length must be 3-255")
        local_site.actor_name_max_length = value
    if "slur_filter_regex" in changes and changes["slur_filter_regex"] is not None:
        local_site.slur_filter_regex = check_slur_regex(changes["slur_filter_regex"])
    if local_site.registration_mode == "RequireApplication" and not local_site.application_question:
        raise AgoraError(Code.application_question_required)

    for bucket in BUCKETS:
        for suffix in ("", "_per_second"):
            name = f"rate_limit_{bucket}{suffix}"
            if given(name):
                value = int(changes[name])
                if value < 0 or value > 10_000_000:
                    raise AgoraError(Code.invalid_query, f"{name} out of range")
                setattr(rate, f"{bucket}{suffix}", value)
    rate.updated = now()

    if changes.get("taglines") is not None:
        await taglines.replace(session, here, changes["taglines"])
    for kind in ("allowed", "blocked"):
        if changes.get(f"{kind}_instances") is not None:
            await federation_rules.replace(session, here, kind, changes[f"{kind}_instances"])
    if changes.get("discussion_languages") is not None:
        await _replace_languages(session, site.id, changes["discussion_languages"])
    if changes.get("blocked_urls") is not None:
        await blocked_urls.replace(session, local_site, changes["blocked_urls"])
    if changes.get("suggested_multi_community_id") is not None:  # 0 clears it
        await multi_communities.set_suggested(session, here, changes["suggested_multi_community_id"])

    site.updated = now()
    local_site.updated = now()
    await session.flush()
    await record(session, SiteUpdated(actor_id=actor.person_id, site_id=site.id))


def check_slur_regex(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > 2000:
        raise AgoraError(Code.invalid_regex)
    try:
        pattern = re.compile(value, re.IGNORECASE)
    except re.error:
        raise AgoraError(Code.invalid_regex) from None
    # A filter that matches ordinary text would block every post (Lemmy's "permissive_regex").
    if pattern.search("a") or pattern.search("the quick brown fox"):
        raise AgoraError(Code.permissive_regex)
    return value


async def _replace_languages(session: AsyncSession, site_id: int, language_ids: list[int]) -> None:
    ids = sorted(set(limits.check_many_ids(language_ids)))
    if ids:
        known = set((await session.execute(select(Language.id).where(Language.id.in_(ids)))).scalars())
        if len(known) != len(ids):
            raise AgoraError(Code.language_not_allowed)
    await session.execute(delete(SiteLanguage).where(SiteLanguage.site_id == site_id))
    for language_id in ids:
        session.add(SiteLanguage(site_id=site_id, language_id=language_id))
