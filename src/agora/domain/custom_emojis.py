"""Custom emoji: admins add, edit and delete the site's `:shortcode:` images (alt text stands in for them)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import CustomEmoji, CustomEmojiKeyword
from agora.domain import limits
from agora.domain.permissions import Acting, require_admin
from agora.errors import AgoraError, Code

_SHORTCODE = re.compile(r"^[a-z0-9_-]{1,128}$")
KEYWORDS_MAX = 50
TEXT_MAX = 128


def _shortcode(value: str) -> str:
    value = value.strip().strip(":").lower()
    if not _SHORTCODE.match(value):
        raise AgoraError(Code.invalid_body_field, "a shortcode is 1–128 of a-z, 0-9, _ and -")
    return value


def _text(value: str, what: str, max_length: int) -> str:
    value = value.strip()
    if not value or len(value) > max_length:
        raise AgoraError(Code.invalid_body_field, f"{what} must be 1–{max_length} characters")
    return value


def _keywords(values: list[str]) -> list[str]:
    if len(values) > KEYWORDS_MAX:
        raise AgoraError(Code.invalid_body_field, f"at most {KEYWORDS_MAX} keywords")
    return sorted({_text(v, "a keyword", TEXT_MAX).lower() for v in values})


def _image_url(value: str) -> str:
    url = limits.check_image_url(value)
    if url is None:
        raise AgoraError(Code.invalid_url)
    return url


@dataclass(frozen=True, slots=True)
class EmojiFields:
    """What create and edit both set (Lemmy's EditCustomEmoji gives every field but the shortcode again)."""

    image_url: str
    alt_text: str
    category: str
    keywords: list[str]


async def _fill(session: AsyncSession, emoji: CustomEmoji, fields: EmojiFields) -> CustomEmoji:
    """Check and set the fields, then replace the keywords."""
    emoji.image_url = _image_url(fields.image_url)
    emoji.alt_text = _text(fields.alt_text, "alt text", limits.ALT_TEXT_MAX)
    emoji.category = _text(fields.category, "a category", TEXT_MAX)
    words = _keywords(fields.keywords)
    await session.flush()
    await session.execute(delete(CustomEmojiKeyword).where(CustomEmojiKeyword.custom_emoji_id == emoji.id))
    session.add_all(CustomEmojiKeyword(custom_emoji_id=emoji.id, keyword=k) for k in words)
    await session.flush()
    return emoji


async def create(
    session: AsyncSession, here: LocalInstance, actor: Acting, shortcode: str, fields: EmojiFields
) -> CustomEmoji:
    require_admin(actor)
    code = _shortcode(shortcode)
    taken = await session.execute(select(CustomEmoji.id).where(CustomEmoji.shortcode == code))
    if taken.scalar_one_or_none() is not None:
        raise AgoraError(Code.custom_emoji_already_exists)
    emoji = CustomEmoji(local_site_id=here.local_site_id, shortcode=code, published=now())
    session.add(emoji)
    return await _fill(session, emoji, fields)


async def edit(session: AsyncSession, actor: Acting, emoji_id: int, fields: EmojiFields) -> CustomEmoji:
    require_admin(actor)
    emoji = await session.get(CustomEmoji, emoji_id)
    if emoji is None:
        raise AgoraError(Code.not_found, "no such custom emoji", status=404)
    emoji.updated = now()
    return await _fill(session, emoji, fields)


async def remove(session: AsyncSession, actor: Acting, emoji_id: int) -> None:
    require_admin(actor)
    gone = await session.execute(delete(CustomEmoji).where(CustomEmoji.id == emoji_id).returning(CustomEmoji.id))
    if gone.scalar_one_or_none() is None:
        raise AgoraError(Code.not_found, "no such custom emoji", status=404)
