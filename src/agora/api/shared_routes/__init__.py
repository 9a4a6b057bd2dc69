"""Routes Lemmy 0.19 (API v3) and 1.0 (API v4) serve alike: the same path, request shape and answer, declared once.

Each face's `router.py` includes these routers under its own prefix and tags, so `/api/v3/admin/purge/post` and
`/api/v4/admin/purge/post` are served by one function. A write route whose answer differs by face (a
`PostResponse`, a `CommentResponse` …) is written once in `per_face` and built by each face from its own answers.
Nothing here imports `agora.api.v3` or `agora.api.v4`.
"""

from collections.abc import Iterable
from types import ModuleType
from typing import NamedTuple

from fastapi import APIRouter

from agora.api.shared_routes import custom_emojis, history, moderation, moves, purges

__all__ = ["custom_emojis", "history", "moderation", "moves", "purges"]


class SharedTags(NamedTuple):
    """The tag a face files each shared area's routes under in its OpenAPI document (0.19 and 1.0 group them apart)."""

    purges: str
    moderation: str
    history: str
    custom_emojis: str
    moves: str


def face_router(prefix: str, areas: Iterable[ModuleType], tags: SharedTags) -> APIRouter:
    """A face's router: each area's router in the order given (FastAPI tries them in that order), then each shared
    area's router under the face's tag for it."""
    router = APIRouter(prefix=prefix)
    for area in areas:
        router.include_router(area.router)
    shared = (
        (purges, tags.purges),
        (moderation, tags.moderation),
        (history, tags.history),
        (custom_emojis, tags.custom_emojis),
        (moves, tags.moves),
    )
    for shared_area, tag in shared:
        router.include_router(shared_area.router, tags=[tag])
    return router
