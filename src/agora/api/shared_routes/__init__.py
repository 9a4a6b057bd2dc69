"""Routes Lemmy 0.19 (API v3) and 1.0 (API v4) serve alike: the same path, request shape and answer, declared once.

Each face's `router.py` includes these routers under its own prefix and tags, so `/api/v3/admin/purge/post` and
`/api/v4/admin/purge/post` are served by one function. A write route whose answer differs by face (a
`PostResponse`, a `CommentResponse` …) is written once in `per_face` and built by each face from its own answers.
Nothing here imports `agora.api.v3` or `agora.api.v4`.
"""

from collections.abc import Iterable
from types import ModuleType

from fastapi import APIRouter

from agora.api.shared_routes import custom_emojis, moderation, purges

__all__ = ["custom_emojis", "moderation", "purges"]


def face_router(
    prefix: str, areas: Iterable[ModuleType], *, purges_tag: str, moderation_tag: str, emojis_tag: str
) -> APIRouter:
    """A face's router: each area's router in the order given (FastAPI tries them in that order), then the routes
    declared here, each under the face's tag for it."""
    router = APIRouter(prefix=prefix)
    for area in areas:
        router.include_router(area.router)
    router.include_router(purges.router, tags=[purges_tag])
    router.include_router(moderation.router, tags=[moderation_tag])
    router.include_router(custom_emojis.router, tags=[emojis_tag])
    return router
