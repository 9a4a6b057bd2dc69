"""Storing images: members' uploads (with a delete token) and link thumbnails, file and row together.

The image comes decoded and re-encoded by media.decoding (`await state.decoder.process(raw)`), before the caller
writes anything. The files are written first and the row second, in the caller's transaction; if anything fails
the files are removed again, so a failed upload leaves neither a file nor a row behind.
"""

from __future__ import annotations

import asyncio
import secrets

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import LocalImage
from agora.errors import AgoraError, Code
from agora.media.images import Processed
from agora.media.storage import Storage


async def store(
    session: AsyncSession, storage: Storage, processed: Processed, *, local_user_id: int | None
) -> LocalImage:
    name = storage.new_name(processed.extension)
    thumbnail_name = name.rsplit(".", 1)[0] + "-thumb.webp"
    try:
        await asyncio.to_thread(storage.write, name, processed.data)
        await asyncio.to_thread(storage.write, thumbnail_name, processed.thumbnail)
        image = LocalImage(
            name=name,
            thumbnail_name=thumbnail_name,
            local_user_id=local_user_id,
            delete_token=secrets.token_urlsafe(24),
            content_type=processed.content_type,
            width=processed.width,
            height=processed.height,
            size=len(processed.data),
        )
        session.add(image)
        await session.flush()
    except BaseException:
        storage.delete(name)
        storage.delete(thumbnail_name)
        raise
    return image


def discard(storage: Storage, image: LocalImage) -> None:
    """The files of an image whose row was rolled back."""
    storage.delete(image.name)
    storage.delete(image.thumbnail_name)


async def find(session: AsyncSession, name: str) -> LocalImage | None:
    return (await session.execute(select(LocalImage).where(LocalImage.name == name))).scalar_one_or_none()


async def remove(session: AsyncSession, name: str, token: str) -> list[str]:
    """Delete an upload's row by its delete token (compared in constant time); answers the file names, which the
    caller deletes once the transaction has committed."""
    image = await find(session, name)
    if image is None or not secrets.compare_digest(image.delete_token, token):
        raise AgoraError(Code.not_found, "no such image or wrong delete token", status=404)
    await session.execute(delete(LocalImage).where(LocalImage.id == image.id))
    await session.flush()
    return [image.name, image.thumbnail_name]
