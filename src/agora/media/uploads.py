"""Storing images: members' uploads (with a delete token) and link thumbnails, file and row together.

The image comes decoded and re-encoded by media.decoding (`await state.decoder.process(raw)`), before the caller
writes anything. The files are written first (to the MediaStore, a folder or a bucket) and the row second, in the
caller's transaction; if anything fails the files are removed again, so a failed upload leaves neither a file nor
a row behind. Deleting goes the other way: the row in the caller's transaction, the files once it has committed
(nothing if it rolls back).
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, event, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from agora.db.models import LocalImage, LocalUser
from agora.domain import released_images
from agora.errors import AgoraError, Code
from agora.media.images import Processed
from agora.media.storage import MediaStore


async def store(
    session: AsyncSession, storage: MediaStore, processed: Processed, *, local_user_id: int | None
) -> LocalImage:
    name = storage.new_name(processed.extension)
    thumbnail_name = name.rsplit(".", 1)[0] + "-thumb.webp"
    try:
        await storage.put(name, processed.data)
        await storage.put(thumbnail_name, processed.thumbnail)
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
        storage.forget((name, thumbnail_name))
        raise
    return image


def discard(storage: MediaStore, image: LocalImage) -> None:
    """The files of an image whose row was rolled back."""
    storage.forget((image.name, image.thumbnail_name))


async def find(session: AsyncSession, name: str) -> LocalImage | None:
    return (await session.execute(select(LocalImage).where(LocalImage.name == name))).scalar_one_or_none()


async def remove(session: AsyncSession, storage: MediaStore, name: str, token: str) -> None:
    """Delete an upload by its delete token (compared in constant time)."""
    image = await find(session, name)
    if image is None or not secrets.compare_digest(image.delete_token, token):
        raise AgoraError(Code.not_found, "no such image or wrong delete token", status=404)
    await _delete(session, storage, image)


async def remove_named(session: AsyncSession, storage: MediaStore, name: str, *, local_user_id: int | None) -> None:
    """Delete the upload `name`: the member `local_user_id`'s own, or anyone's when it is None (an admin's
    delete; the caller has checked who asks). Lemmy 1.0's DELETE /account/media and /image take no token."""
    query = select(LocalImage).where(LocalImage.name == name[:80])
    if local_user_id is not None:
        query = query.where(LocalImage.local_user_id == local_user_id)
    image = (await session.execute(query)).scalar_one_or_none()
    if image is None:
        raise AgoraError(Code.not_found, "no such image among these uploads", status=404)
    await _delete(session, storage, image)


async def release_noted(session: AsyncSession, storage: MediaStore, base_url: str) -> None:
    """Delete the uploads behind the addresses this session's write let go of (see domain.released_images): a
    replaced one when the member who replaced it uploaded it, a purged one whoever did."""
    prefix = f"{base_url}/pictrs/image/"
    for local_user_id, url in released_images.take(session):
        if not url.startswith(prefix):
            continue  # stored elsewhere: not ours to delete
        name = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0][:80]
        query = select(LocalImage).where(or_(LocalImage.name == name, LocalImage.thumbnail_name == name))
        if local_user_id is not None:
            query = query.where(LocalImage.local_user_id == local_user_id)
        image = (await session.execute(query)).scalar_one_or_none()
        if image is not None:
            await _delete(session, storage, image)


async def release_uploads_of(session: AsyncSession, storage: MediaStore, person_id: int) -> None:
    """Delete every upload of the local member `person_id` (an admin purges them, as Lemmy does)."""
    mine = select(LocalUser.id).where(LocalUser.person_id == person_id)
    for image in (await session.execute(select(LocalImage).where(LocalImage.local_user_id.in_(mine)))).scalars():
        await _delete(session, storage, image)


_FILES_AFTER_COMMIT = "image_files_after_commit"


async def _delete(session: AsyncSession, storage: MediaStore, image: LocalImage) -> None:
    await session.execute(delete(LocalImage).where(LocalImage.id == image.id))
    await session.flush()
    session.info.setdefault(_FILES_AFTER_COMMIT, []).append((storage, (image.name, image.thumbnail_name)))


@event.listens_for(Session, "after_commit")
def _delete_files_after_commit(session: Session) -> None:
    for storage, names in session.info.pop(_FILES_AFTER_COMMIT, ()):
        storage.forget(names)


@event.listens_for(Session, "after_rollback")
def _keep_files_after_rollback(session: Session) -> None:
    session.info.pop(_FILES_AFTER_COMMIT, None)
