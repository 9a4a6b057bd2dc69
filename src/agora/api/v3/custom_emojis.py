"""/custom_emoji: the site's custom emoji, managed by admins (read through GET /site)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api.v3.shapes.emojis import CreateCustomEmoji, CustomEmojiResponse, EditCustomEmoji
from agora.api.v3.shapes.site import custom_emoji_json
from agora.deps import MESSAGE, Admin, Here, WriteDb
from agora.domain import custom_emojis
from agora.queries import site as site_queries
from agora.responses import json_response

router = APIRouter(tags=["site"])


async def _emoji_response(db: AsyncSession, emoji_id: int) -> Response:
    (emoji, keywords) = (await site_queries.custom_emojis(db, emoji_id))[0]
    return json_response({"custom_emoji": custom_emoji_json(emoji, keywords)})


@router.post("/custom_emoji", response_model=CustomEmojiResponse, dependencies=[MESSAGE])
async def create_custom_emoji(form: CreateCustomEmoji, admin: Admin, db: WriteDb, here: Here) -> Response:
    fields = custom_emojis.EmojiFields(**form.model_dump(exclude={"shortcode"}))
    emoji = await custom_emojis.create(db, here, admin, form.shortcode, fields)
    return await _emoji_response(db, emoji.id)


@router.put("/custom_emoji", response_model=CustomEmojiResponse, dependencies=[MESSAGE])
async def edit_custom_emoji(form: EditCustomEmoji, admin: Admin, db: WriteDb) -> Response:
    fields = custom_emojis.EmojiFields(**form.model_dump(exclude={"id"}))
    emoji = await custom_emojis.edit(db, admin, form.id, fields)
    return await _emoji_response(db, emoji.id)
