"""Routes Lemmy 0.19 (API v3) and 1.0 (API v4) serve alike: the same path, request shape and answer, declared once.

Each face's `router.py` includes these routers under its own prefix and tags, so `/api/v3/admin/purge/post` and
`/api/v4/admin/purge/post` are served by one function. A write route whose answer differs by face (a
`PostResponse`, a `CommentResponse` …) is written once in `per_face` and built by each face from its own answers.
Nothing here imports `agora.api.v3` or `agora.api.v4`.
"""

from agora.api.shared_routes import custom_emojis, history, moderation, purges

__all__ = ["custom_emojis", "history", "moderation", "purges"]
