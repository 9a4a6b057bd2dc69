"""Custom emoji forms and responses (Lemmy 0.19's CreateCustomEmoji, EditCustomEmoji, DeleteCustomEmoji)."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.emojis import DeleteCustomEmoji as DeleteCustomEmoji
from agora.api.v3.shapes.base import Form, Id, Shape
from agora.api.v3.shapes.site import CustomEmojiView


class _EmojiFields(Form):
    category: str = Field(max_length=1000)
    image_url: str = Field(max_length=4000)
    alt_text: str = Field(max_length=4000)
    keywords: list[str] = Field(default_factory=list, max_length=1000)


class CreateCustomEmoji(_EmojiFields):
    shortcode: str = Field(max_length=1000)


class EditCustomEmoji(_EmojiFields):
    id: Id


class CustomEmojiResponse(Shape):
    custom_emoji: CustomEmojiView
