"""The versions an edit replaced, as a page: where a post or comment says "edited", it links here.

Who sees what is the API's rule (queries.edit_history): whoever may read the item, so a removed post's history
only for its author, its community's moderators and admins.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.deps import ReadDb
from agora.errors import AgoraError, Code
from agora.queries import edit_history
from agora.queries.edit_history import Kind
from agora.web.context import Ctx, Id, PageContext
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)


async def _history_page(ctx: PageContext, db: ReadDb, kind: Kind, item_id: int, unknown: Code) -> Response:
    versions = await edit_history.readable_versions(db, ctx.viewer, kind, item_id)
    if versions is None:
        raise AgoraError(unknown)
    return await ctx.page("history.html", kind=kind, item_id=item_id, versions=versions)


@router.get("/post/{post_id}/history")
async def post_history(post_id: Id, ctx: Ctx, db: ReadDb) -> Response:
    return await _history_page(ctx, db, "post", post_id, Code.couldnt_find_post)


@router.get("/comment/{comment_id}/history")
async def comment_history(comment_id: Id, ctx: Ctx, db: ReadDb) -> Response:
    return await _history_page(ctx, db, "comment", comment_id, Code.couldnt_find_comment)
