"""Images a write let go of: an avatar, banner or icon replaced or cleared, the link and thumbnail of a purged post.

The write notes the old address here; the surface that made the write then hands the notes to
media.uploads.release_noted, which deletes the local upload behind each address, as Lemmy deletes them from
pict-rs. A replaced image goes only when the member who replaced it uploaded it (never anyone else's, nor an
image stored elsewhere); a purged post's go whoever uploaded them. Notes live on the session and go with it: a
write that fails releases nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.domain.permissions import Acting

_NOTES = "released_images"


def note_replaced(session: AsyncSession, actor: Acting, old: str | None, new: str | None) -> None:
    """`old` gave way to `new` (None when cleared); the same address given again is no replacement."""
    local_user_id = getattr(actor, "local_user_id", None)
    if old and old != new and local_user_id is not None:
        session.info.setdefault(_NOTES, []).append((local_user_id, old))


def note_purged(session: AsyncSession, *urls: str | None) -> None:
    """Addresses of purged content: their uploads go, whoever made them."""
    session.info.setdefault(_NOTES, []).extend((None, url) for url in urls if url)


def take(session: AsyncSession) -> list[tuple[int | None, str]]:
    """The (uploader's local_user_id or None for anyone's, address) pairs noted in this session so far, each
    handed out once."""
    taken: list[tuple[int | None, str]] = session.info.pop(_NOTES, [])
    return taken
