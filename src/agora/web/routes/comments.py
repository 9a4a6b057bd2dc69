"""A comment with its replies, and the forms that write and edit comments (inline with our script, or as pages
of their own without it)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse, Response

from agora.deps import ReadDb, take_token
from agora.domain import comments
from agora.errors import AgoraError, Code
from agora.queries import comments as comment_queries
from agora.queries.views import CommentItem
from agora.web import forms, tree
from agora.web.context import CheckedForm, Ctx, Id, MemberCtx, PageContext
from agora.web.routes.posts import TREE_DEPTH, comment_sort, post_surroundings, visible_post
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)


async def visible_comment(ctx: PageContext, db: AsyncSession, comment_id: int) -> CommentItem:
    view = await comment_queries.get_comment_view(db, ctx.viewer, comment_id)
    if view is None:
        raise AgoraError(Code.couldnt_find_comment)
    await visible_post(ctx, db, view.comment["post_id"])  # a comment is only as visible as its post
    return view


def _parent_of(view: CommentItem) -> int | None:
    parts = view.comment["path"].split(".")
    return int(parts[-2]) if len(parts) > 2 else None


@router.get("/comment/{comment_id}")
async def comment_page(comment_id: Id, ctx: Ctx, db: ReadDb) -> Response:
    view = await visible_comment(ctx, db, comment_id)
    sort = comment_sort(ctx)
    q = comment_queries.CommentQuery(parent_id=comment_id, sort=sort, max_depth=TREE_DEPTH)
    nodes = tree.build(await comment_queries.list_comments(db, ctx.viewer, q), root_id=comment_id)
    post = await visible_post(ctx, db, view.comment["post_id"])
    surroundings = await post_surroundings(ctx, db, post)
    return await ctx.page(
        "post.html", tree=nodes, sort=sort, root=comment_id, root_parent=_parent_of(view), **surroundings
    )


async def _form_page(
    ctx: PageContext,
    db: AsyncSession,
    *,
    post_id: int,
    parent: CommentItem | None = None,
    editing: CommentItem | None = None,
    content: str = "",
    error: AgoraError | None = None,
) -> Response:
    post = await visible_post(ctx, db, post_id)
    return await ctx.page(
        "comment_form.html",
        refused_by=error,
        pv=post,
        parent=parent,
        parent_node=tree.Node(parent) if parent else None,
        editing=editing,
        content=content,
        errors={"content": forms.message(error)} if error else {},  # the form's one field
        can_mod=False,
    )


@router.get("/comment/{comment_id}/reply")
async def reply_page(comment_id: Id, ctx: MemberCtx, db: ReadDb) -> Response:
    parent = await visible_comment(ctx, db, comment_id)
    return await _form_page(ctx, db, post_id=parent.comment["post_id"], parent=parent)


@router.post("/comment")
async def create_comment(ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    post_id = forms.required_number(form, "post_id")
    parent_id = forms.number(form, "parent_id")
    content = forms.text(form, "content")
    try:
        await take_token(ctx.request, "comment")  # here, not as a dependency: a refused comment keeps its text
        async with ctx.state.db.write() as write:
            comment = await comments.create(
                write, ctx.state.here, ctx.viewer, post_id=post_id, content=content, parent_id=parent_id
            )
    except AgoraError as error:
        if ctx.fetch:
            status = 429 if error.code == Code.rate_limit_error else 400
            return JSONResponse({"error": forms.message(error)}, status_code=status)
        parent = await visible_comment(ctx, db, parent_id) if parent_id else None
        return await _form_page(ctx, db, post_id=post_id, parent=parent, content=content, error=error)
    if ctx.fetch:
        view = await comment_queries.get_comment_view(db, ctx.viewer, comment.id)
        if view is None:  # removed or deleted meanwhile
            raise AgoraError(Code.couldnt_find_comment)
        ctx.back_to = f"/post/{post_id}"  # the fragment lands on the post's page, not on POST /comment
        html = ctx.fragment("_comment_one.html", node=tree.Node(view), can_mod=False)
        return JSONResponse({"ok": True, "id": comment.id, "html": html, "comments": view.post["comments"]})
    return ctx.redirect(f"/post/{post_id}#c{comment.id}")


@router.get("/comment/{comment_id}/edit")
async def edit_comment_page(comment_id: Id, ctx: MemberCtx, db: ReadDb) -> Response:
    view = await visible_comment(ctx, db, comment_id)
    if view.comment["creator_id"] != ctx.viewer.person_id:
        raise AgoraError(Code.no_comment_edit_allowed)
    post_id = view.comment["post_id"]
    return await _form_page(ctx, db, post_id=post_id, editing=view, content=view.comment["content"])


@router.post("/comment/{comment_id}/edit")
async def edit_comment(comment_id: Id, ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    content = forms.text(form, "content")
    try:
        async with ctx.state.db.write() as write:
            comment = await comments.edit(
                write, ctx.state.here, ctx.viewer, comment_id, content=content, language_id=None
            )
    except AgoraError as error:
        view = await visible_comment(ctx, db, comment_id)
        post_id = view.comment["post_id"]
        return await _form_page(ctx, db, post_id=post_id, editing=view, content=content, error=error)
    return ctx.redirect(f"/post/{comment.post_id}#c{comment_id}")
