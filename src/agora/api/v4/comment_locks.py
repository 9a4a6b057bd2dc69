"""POST /comment/lock: a moderator closes a comment's subtree to replies (Lemmy 1.0)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v4.comments import comment_response
from agora.api.v4.shapes.comments import CommentResponse, LockComment
from agora.deps import MESSAGE, Member, WriteDb
from agora.domain import moderation

router = APIRouter(tags=["v4: moderation"])


@router.post("/comment/lock", response_model=CommentResponse, dependencies=[MESSAGE])
async def lock_comment(form: LockComment, member: Member, db: WriteDb) -> Response:
    await moderation.lock_comment(db, member, form.comment_id, form.locked, form.reason)
    return await comment_response(db, member, form.comment_id)
