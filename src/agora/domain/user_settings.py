"""A member's settings and public profile (Lemmy's save_user_settings)."""

from __future__ import annotations

from typing import Any, get_args

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.choices import ListingType, PostListingMode, SortType
from agora.core.clock import now
from agora.db import viewer_versions
from agora.db.models import Language, LocalUserLanguage
from agora.domain import limits, released_images
from agora.domain.accounts import email_taken
from agora.domain.events import PersonUpdated, record
from agora.domain.permissions import LocalActing, get_local_user, get_person
from agora.errors import AgoraError, Code

SORT_TYPES = frozenset(get_args(SortType))
LISTING_TYPES = frozenset(get_args(ListingType))
LISTING_MODES = frozenset(get_args(PostListingMode))

_USER_FLAGS = (
    "show_nsfw",
    "blur_nsfw",
    "auto_expand",
    "show_avatars",
    "send_notifications_to_email",
    "show_bot_accounts",
    "show_read_posts",
    "open_links_in_new_tab",
    "infinite_scroll_enabled",
    "enable_keyboard_navigation",
    "enable_animated_images",
    "collapse_bot_comments",
    "show_scores",
)
# The settings a backup carries from one instance to another (export_settings / import_settings).
PORTABLE_SETTINGS = (
    *_USER_FLAGS,
    "default_sort_type",
    "default_listing_type",
    "post_listing_mode",
    "theme",
    "interface_language",
)
_VOTE_DISPLAY = {
    "show_scores": "vote_display_score",
    "show_upvotes": "vote_display_upvotes",
    "show_downvotes": "vote_display_downvotes",
    "show_upvote_percentage": "vote_display_upvote_percentage",
}


def _text_or_clear(value: str) -> str | None:
    """Lemmy's edit convention: an empty string clears an optional field."""
    value = value.strip()
    return value or None


async def save(session: AsyncSession, actor: LocalActing, changes: dict[str, Any]) -> None:
    """Apply the fields present in `changes`; absent means unchanged, "" clears optional text."""
    user = await get_local_user(session, actor.local_user_id)
    person = await get_person(session, actor.person_id)
    profile_changed = False

    if "display_name" in changes and changes["display_name"] is not None:
        person.display_name = limits.check_display_name(changes["display_name"])
        profile_changed = True
    if "bio" in changes and changes["bio"] is not None:
        person.bio = limits.check_bio(_text_or_clear(changes["bio"]))
        profile_changed = True
    for field in ("avatar", "banner"):
        if field in changes and changes[field] is not None:
            image = limits.check_image_url(_text_or_clear(changes[field]))
            released_images.note_replaced(session, actor, getattr(person, field), image)
            setattr(person, field, image)
            profile_changed = True
    if "matrix_user_id" in changes and changes["matrix_user_id"] is not None:
        matrix = _text_or_clear(changes["matrix_user_id"])
        if matrix is not None and not (matrix.startswith("@") and ":" in matrix and len(matrix) <= 255):
            raise AgoraError(Code.invalid_matrix_id)
        person.matrix_user_id = matrix
        profile_changed = True
    if "bot_account" in changes and changes["bot_account"] is not None:
        person.bot_account = bool(changes["bot_account"])
        profile_changed = True
    if "email" in changes and changes["email"] is not None:
        email = limits.check_email(changes["email"])
        if email is None:
            user.email = None
        elif (user.email or "").lower() != email.lower():
            if await email_taken(session, email):
                raise AgoraError(Code.email_already_exists)
            user.email = email
            user.email_verified = False

    for flag in _USER_FLAGS:
        if changes.get(flag) is not None:
            setattr(user, flag, bool(changes[flag]))
    for field, column in _VOTE_DISPLAY.items():
        if changes.get(field) is not None:
            setattr(user, column, bool(changes[field]))
    if changes.get("default_sort_type") is not None:
        if changes["default_sort_type"] not in SORT_TYPES:
            raise AgoraError(Code.invalid_query, "unknown sort type")
        user.default_sort_type = changes["default_sort_type"]
    if changes.get("default_listing_type") is not None:
        if changes["default_listing_type"] not in LISTING_TYPES:
            raise AgoraError(Code.invalid_default_post_listing_type)
        user.default_listing_type = changes["default_listing_type"]
    if changes.get("post_listing_mode") is not None:
        if changes["post_listing_mode"] not in LISTING_MODES:
            raise AgoraError(Code.invalid_query, "unknown post listing mode")
        user.post_listing_mode = changes["post_listing_mode"]
    for field, max_length in (("theme", 64), ("interface_language", 20)):
        if changes.get(field) is not None:
            value = str(changes[field]).strip()  # "" is kept, as Lemmy keeps it: apps read it as "the browser's"
            if len(value) > max_length:
                raise AgoraError(Code.invalid_query, f"{field} is at most {max_length} characters")
            setattr(user, field, value)
    if changes.get("discussion_languages") is not None:
        await set_languages(session, user.id, list(changes["discussion_languages"]))

    if profile_changed:
        person.updated = now()
        await session.flush()
        await record(session, PersonUpdated(actor_id=person.id, person_id=person.id))


async def mark_donation_dialog_shown(session: AsyncSession, actor: LocalActing) -> None:
    """The member saw the donation dialog now (apps ask again a year later)."""
    user = await get_local_user(session, actor.local_user_id)
    user.last_donation_notification = now()


async def set_languages(session: AsyncSession, local_user_id: int, language_ids: list[int]) -> None:
    ids = sorted(set(limits.check_many_ids(language_ids)))
    if ids:
        known = set((await session.execute(select(Language.id).where(Language.id.in_(ids)))).scalars())
        if len(known) != len(ids):
            raise AgoraError(Code.language_not_allowed)
    await session.execute(
        delete(LocalUserLanguage).where(LocalUserLanguage.local_user_id == local_user_id),
        execution_options=viewer_versions.of_account(local_user_id),
    )
    for language_id in ids:
        session.add(LocalUserLanguage(local_user_id=local_user_id, language_id=language_id))
    await session.flush()
