"""Images a write stopped using: an avatar, banner or icon that was replaced or cleared.

The write notes the old address with `note`; the surface that made the write then hands the notes to
media.uploads.release_replaced, which deletes the acting member's own upload behind each address (never anyone
else's, nor an image stored elsewhere), as Lemmy deletes a replaced avatar from pict-rs. Notes live on the
session and go with it: a write that fails releases nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.domain.permissions import Acting

_NOTES = "replaced_images"


def note(session: AsyncSession, actor: Acting, old: str | None, new: str | None) -> None:
    """`old` gave way to `new` (None when cleared); the same address given again is no replacement."""
    local_user_id = getattr(actor, "local_user_id", None)
    if old and old != new and local_user_id is not None:
        session.info.setdefault(_NOTES, []).append((local_user_id, old))


def take(session: AsyncSession) -> list[tuple[int, str]]:
    """The (local_user_id, old address) pairs noted in this session so far, each handed out once."""
    return session.info.pop(_NOTES, [])
