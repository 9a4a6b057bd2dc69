"""Edit history: each edit of a post, comment or private message keeps the version it replaced.

An edit takes a `snapshot` of the item before it changes anything and hands it to `edited` once it has; that
writes a version only when what readers see (a post's title, body, link or NSFW mark; a comment's or a message's
text) differs. Every edit reaches here through the domain (the author's, a moderator's, and an Update from a peer,
which federation turns into the author's edit), so there is one place that records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Comment, EditVersion, Post, PrivateMessage

Item = Post | Comment | PrivateMessage


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What an item shows, and since when."""

    name: str | None
    body: str | None
    url: str | None
    nsfw: bool | None
    since: datetime


def snapshot(item: Item) -> Snapshot:
    since = item.updated or item.published
    if isinstance(item, Post):
        return Snapshot(item.name, item.body, item.url, item.nsfw, since)
    return Snapshot(None, item.content, None, None, since)


def _shown(shot: Snapshot) -> tuple[str | None, str | None, str | None, bool | None]:
    return shot.name, shot.body, shot.url, shot.nsfw


def edited(session: AsyncSession, item: Item, before: Snapshot, editor_id: int) -> bool:
    """Marks `item` edited now and records `before` as its version if the edit changed what it shows; whether
    it did. The version's `replaced_at` is the item's new `updated`, so versions and item join without a gap."""
    item.updated = now()
    if _shown(before) == _shown(snapshot(item)):
        return False
    version = EditVersion(
        name=before.name,
        body=before.body,
        url=before.url,
        nsfw=before.nsfw,
        editor_id=editor_id,
        published=before.since,
        replaced_at=item.updated,
    )
    if isinstance(item, Post):
        version.post_id = item.id
    elif isinstance(item, Comment):
        version.comment_id = item.id
    else:
        version.private_message_id = item.id
    session.add(version)  # the edit's own flush writes it
    return True
