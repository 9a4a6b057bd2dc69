"""After a link post is saved: fetch its page's metadata and store its thumbnail locally (pages never hot-link).

Runs after the request has answered (posting never waits on a slow site) and is best effort: a page that cannot be
fetched leaves the post as it was, with the reason logged.
"""

from __future__ import annotations

import logging

from agora.domain import posts
from agora.errors import AgoraError
from agora.media import link_metadata, uploads
from agora.media.storage import Storage
from agora.outbound import OutboundError

log = logging.getLogger("agora.media")


async def attach(state, post_id: int, url: str) -> None:
    try:
        metadata = await link_metadata.fetch(state.outbound, url)
        fields = metadata.as_json()
        image_url = url if (metadata.content_type or "").startswith("image/") else metadata.image
        raw = await _download(state, image_url) if image_url else None
        async with state.db.write() as session:  # fetched first: a slow site never holds the writer
            if raw is not None:
                image = await _store(state, session, raw, image_url)
                if image is not None:
                    fields["thumbnail_url"] = f"{state.here.base_url}/pictrs/image/{image.name}"
            await posts.set_link_metadata(session, post_id, url, fields)
    except (AgoraError, OutboundError) as error:
        log.info("no link preview for post %s (%s): %s", post_id, url, error)
    except Exception:
        log.exception("link preview for post %s (%s) failed", post_id, url)


async def _download(state, image_url: str) -> bytes | None:
    try:
        result = await state.outbound.get(image_url, max_bytes=state.settings.max_upload_bytes, timeout=10.0)
    except OutboundError as error:
        log.info("thumbnail %s not fetched: %s", image_url, error)
        return None
    if result.status >= 400 or not result.content_type.startswith("image/"):
        return None
    return result.content


async def _store(state, session, raw: bytes, image_url: str):
    try:
        return await uploads.store(session, Storage(state.settings.media_dir), raw, local_user_id=None)
    except AgoraError as error:
        log.info("thumbnail %s refused: %s", image_url, error)
        return None
