"""Images members upload through a form (post images, avatars): stored by agora.media like /pictrs uploads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from agora.errors import AgoraError, Code
from agora.media import uploads
from agora.media.storage import MediaStore
from agora.web.context import MemberPageContext, PageContext

if TYPE_CHECKING:  # a name for the type only: the web UI reaches images through agora.media
    from agora.db.models import LocalImage


def storage(ctx: PageContext) -> MediaStore:
    return ctx.state.media


def image_url(ctx: PageContext, name: str) -> str:
    return f"{ctx.state.here.base_url}/pictrs/image/{name}"


async def store_image(ctx: MemberPageContext, session: AsyncSession, upload: UploadFile) -> LocalImage:
    cap = ctx.state.settings.max_upload_bytes
    raw = await upload.read(cap + 1)
    if len(raw) > cap:
        raise AgoraError(Code.too_large, f"an image may be at most {cap // (1024 * 1024)} MB")
    processed = await ctx.state.decoder.process(raw)
    return await uploads.store(session, storage(ctx), processed, local_user_id=ctx.viewer.local_user_id)


async def release_noted(ctx: PageContext, session: AsyncSession) -> None:
    """After a write that may have let images go (a new avatar or icon): delete the uploads behind them."""
    await uploads.release_noted(session, storage(ctx), ctx.state.here.base_url)


def discard(ctx: PageContext, image: LocalImage | None) -> None:
    """Files of an upload whose transaction was rolled back (the row went with it)."""
    if image is not None:
        uploads.discard(storage(ctx), image)
