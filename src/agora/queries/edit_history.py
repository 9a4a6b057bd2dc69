"""An item's edit history: the versions its edits replaced, newest first, each with the person who edited.

Whoever may read an item may read its history, by the rule for reading the item itself: a post as
`queries.posts.visible_post_view` shows it (a removed one to its author, its community's moderators and admins), a
comment as `queries.comments` shows its text, a private message to its two parties (`queries.inbox.message`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import EditVersion
from agora.queries import comments, inbox, posts, rows
from agora.queries.viewer import Viewer

Kind = Literal["post", "comment", "message"]
_COLUMN = {"post": EditVersion.post_id, "comment": EditVersion.comment_id, "message": EditVersion.private_message_id}


@dataclass(frozen=True, slots=True)
class VersionItem:
    """One replaced version; `editor` is the person row of whoever replaced it (None once they are purged)."""

    id: int
    name: str | None
    body: str | None
    url: str | None
    nsfw: bool | None
    published: datetime
    replaced_at: datetime
    editor: dict[str, Any] | None


async def versions(session: AsyncSession, kind: Kind, item_id: int) -> list[VersionItem]:
    query = (
        select(EditVersion)
        .where(_COLUMN[kind] == item_id)
        .order_by(EditVersion.replaced_at.desc(), EditVersion.id.desc())
    )
    found = list((await session.execute(query)).scalars())
    editors = await rows.persons(session, (v.editor_id for v in found))
    return [
        VersionItem(
            v.id,
            v.name,
            v.body,
            v.url,
            v.nsfw,
            v.published,
            v.replaced_at,
            editors.get(v.editor_id) if v.editor_id is not None else None,
        )
        for v in found
    ]


async def readable_versions(
    session: AsyncSession, viewer: Viewer | None, kind: Kind, item_id: int
) -> list[VersionItem] | None:
    """The item's versions, or None when there is no such item or `viewer` may not read it."""
    if kind == "post":
        if await posts.visible_post_view(session, viewer, item_id) is None:
            return None
    elif kind == "comment":
        comment = await comments.get_comment_view(session, viewer, item_id)
        if comment is None or comment.content_hidden:
            return None
    elif viewer is None or await inbox.message(session, viewer, item_id) is None:
        return None
    return await versions(session, kind, item_id)
