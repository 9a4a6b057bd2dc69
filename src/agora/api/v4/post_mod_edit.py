"""PUT /post/mod_edit: a moderator changes a post's metadata (Lemmy 1.0's ModEditPost)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v4.posts import post_response
from agora.api.v4.shapes.posts import ModEditPost, PostResponse
from agora.deps import MESSAGE, Here, Member, WriteDb
from agora.domain import moderation

router = APIRouter(tags=["v4: moderation"])


@router.put("/post/mod_edit", response_model=PostResponse, dependencies=[MESSAGE])
async def mod_edit_post(form: ModEditPost, member: Member, db: WriteDb, here: Here) -> Response:
    await moderation.mod_edit_post(db, here, member, form.post_id, nsfw=form.nsfw, tags=form.tags)
    return await post_response(db, member, form.post_id)
