"""After a link post is saved: fetch its page's metadata and store its thumbnail locally (pages never hot-link).

Runs after the request has answered (posting never waits on a slow site) and is best effort: a page that cannot be
fetched, or whose image is refused by the limits uploads have (media.image_limits, media.decoding), leaves the
post without that part, with the reason logged. A link to an image uploaded here is not fetched: its stored
thumbnail serves.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from starlette.background import BackgroundTask

from agora.domain import posts
from agora.errors import AgoraError
from agora.media import link_metadata, uploads
from agora.media.images import Processed
from agora.outbound import OutboundError

if TYPE_CHECKING:
    from agora.db.models import Post
    from agora.deps import AppState

log = logging.getLogger("agora.media")


def after_answer(state: AppState, post: Post) -> BackgroundTask | None:
    """The task that runs `attach` once a member's write is answered, when the post has a link whose preview is not
    known yet (a new link post, or an edit that changed the link: it cleared the preview); else None."""
    if post.url and post.url_content_type is None:
        return BackgroundTask(attach, state, post.id, post.url)
    return None


def later(state: AppState, post_id: int, url: str) -> None:
    """`attach` in the background, for a post that arrived from another server (no request to answer after)."""
    running: set[asyncio.Task] = state.extras.setdefault("link_previews", set())
    task = asyncio.create_task(attach(state, post_id, url), name=f"agora-link-preview-{post_id}")
    running.add(task)  # held until done: the loop keeps only weak references to tasks
    task.add_done_callback(running.discard)


async def attach(state: AppState, post_id: int, url: str) -> None:
    try:
        prefix = f"{state.here.base_url}/pictrs/image/"
        if url.startswith(prefix):
            async with state.db.read() as session:
                own = await uploads.find(session, url[len(prefix) :].split("?", 1)[0][:80])
            if own is not None:
                fields = {"content_type": own.content_type, "thumbnail_url": f"{prefix}{own.thumbnail_name}"}
                async with state.db.write() as session:
                    await posts.set_link_metadata(session, post_id, url, fields)
                return
        metadata = await link_metadata.fetch(state.outbound, url)
        fields = metadata.as_json()
        image_url = url if (metadata.content_type or "").startswith("image/") else metadata.image
        raw = await _download(state, image_url) if image_url else None
        processed = await _decode(state, raw, image_url) if raw is not None else None
        async with state.db.write() as session:  # fetched and decoded first: a slow site never holds the writer
            if processed is not None:
                image = await uploads.store(session, state.media, processed, local_user_id=None)
                fields["thumbnail_url"] = f"{prefix}{image.name}"
            await posts.set_link_metadata(session, post_id, url, fields)
    except (AgoraError, OutboundError) as error:
        log.info("no link preview for post %s (%s): %s", post_id, url, error)
    except Exception:
        log.exception("link preview for post %s (%s) failed", post_id, url)


async def _download(state: AppState, image_url: str) -> bytes | None:
    try:
        result = await state.outbound.get(image_url, max_bytes=state.settings.max_upload_bytes, timeout=10.0)
    except OutboundError as error:
        log.info("thumbnail %s not fetched: %s", image_url, error)
        return None
    if result.status >= 400 or not result.content_type.startswith("image/"):
        return None
    return result.content


async def _decode(state: AppState, raw: bytes, image_url: str | None) -> Processed | None:
    """The page's image through the same bounded worker and limits as members' uploads."""
    try:
        return await state.decoder.process(raw)
    except AgoraError as error:
        log.info("thumbnail %s refused: %s", image_url, error)
        return None
