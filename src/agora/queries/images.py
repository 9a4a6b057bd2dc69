"""Uploaded images with their uploader, newest first (ListMedia): a member's own, or all of them for admins."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import LocalImage, LocalUser
from agora.queries import rows


async def uploads(
    session: AsyncSession, *, local_user_id: int | None, page: int, limit: int
) -> list[tuple[rows.Row, rows.Row]]:
    """(image, uploader person) pairs; `local_user_id` None lists every member's uploads.

    Link-preview thumbnails have no uploader and are not listed."""
    query = (
        select(
            LocalImage.name,
            LocalImage.delete_token,
            LocalImage.local_user_id,
            LocalImage.published,
            LocalUser.person_id,
        )
        .join(LocalUser, LocalUser.id == LocalImage.local_user_id)
        .order_by(LocalImage.published.desc(), LocalImage.id.desc())
        .limit(limit)
        .offset((page - 1) * limit)
    )
    if local_user_id is not None:
        query = query.where(LocalImage.local_user_id == local_user_id)
    found = [dict(r) for r in (await session.execute(query)).mappings()]
    people = await rows.persons(session, [r["person_id"] for r in found])
    return [(r, people[r["person_id"]]) for r in found]
