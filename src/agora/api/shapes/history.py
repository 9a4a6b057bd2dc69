"""Edit history (an Agora extension both faces serve alike): the versions a post, comment or message's edits
replaced."""

from __future__ import annotations

from datetime import datetime

from agora.api.shapes.base import Form, Id, Shape


class GetPostHistory(Form):
    post_id: Id


class GetCommentHistory(Form):
    comment_id: Id


class GetPrivateMessageHistory(Form):
    private_message_id: Id


class VersionEditor(Shape):
    """Who made the edit that replaced a version: the author, a moderator or admin, or a peer's author."""

    id: int
    name: str
    display_name: str | None = None
    avatar: str | None = None
    actor_id: str
    local: bool


class EditVersion(Shape):
    """A replaced version: a post's `name`, `body`, `url` and `nsfw`; a comment's or a message's text in `body`.
    Current from `published` until `replaced_at`; `edited_by` is absent once that person is purged."""

    id: int
    name: str | None = None
    body: str | None = None
    url: str | None = None
    nsfw: bool | None = None
    edited_by: VersionEditor | None = None
    published: datetime
    replaced_at: datetime


class EditHistoryResponse(Shape):
    """Newest first; empty when the item was never edited."""

    versions: list[EditVersion]
