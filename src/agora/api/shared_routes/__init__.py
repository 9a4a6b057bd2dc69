"""Routes Lemmy 0.19 (API v3) and 1.0 (API v4) serve alike: the same path, request shape and answer, declared once.

Each face's `router.py` includes these routers under its own prefix and tags, so `/api/v3/admin/purge/post` and
`/api/v4/admin/purge/post` are served by one function. A write route whose answer differs by face (a
`PostResponse`, a `CommentResponse` …) is written once in `per_face` and built by each face from its own answers.
Nothing here imports `agora.api.v3` or `agora.api.v4`.
"""

from collections.abc import Iterable
from types import ModuleType

from fastapi import APIRouter

from agora.api.shared_routes import custom_emojis, history, moderation, moves, purges

__all__ = ["custom_emojis", "history", "moderation", "moves", "purges"]


def face_router(prefix: str, areas: Iterable[ModuleType], shared: Iterable[tuple[ModuleType, str]]) -> APIRouter:
    """A face's router: each area's router in the order given (FastAPI tries them in that order), then each shared
    area's router under the face's tag for it."""
    router = APIRouter(prefix=prefix)
    for area in areas:
        router.include_router(area.router)
    for area, tag in shared:
        router.include_router(area.router, tags=[tag])
    return router
