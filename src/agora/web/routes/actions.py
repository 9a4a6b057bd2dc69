"""One-button actions on posts and comments: vote, save, delete, and the moderators' lock, feature and
distinguish (those with a typed reason are in `reasons`). Each calls the domain function the API calls, then
answers our script with JSON or a plain form with a redirect back."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.deps import WriteDb, rate_limited
from agora.domain import comments, limits, moderation, polls, posts, votes
from agora.errors import AgoraError, Code
from agora.queries import comments as comment_queries
from agora.queries import posts as post_queries
from agora.web import forms
from agora.web.context import CheckedForm, Id, MemberCtx
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute, dependencies=[rate_limited("message")])


def _next(form: forms.Fields, default: str) -> str:
    return forms.text(form, "next") or default


@router.post("/post/{post_id}/vote")
async def vote_post(post_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    await votes.vote_post(db, ctx.state.here, ctx.viewer, post_id, forms.required_number(form, "score"))
    view = await post_queries.get_post_view(db, ctx.viewer, post_id)
    if view is None:
        raise AgoraError(Code.couldnt_find_post)
    return ctx.done(_next(form, f"/post/{post_id}"), score=view.post["score"], my_vote=view.my_vote or 0)


@router.post("/post/{post_id}/poll")
async def vote_poll(post_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    picked = form.getlist("choice")[: limits.POLL_CHOICES_MAX]
    choices = [int(v) for v in picked if isinstance(v, str) and v.isdigit()]
    await polls.vote(db, ctx.viewer, post_id, [c for c in choices if c < 2**31])
    return ctx.done(_next(form, f"/post/{post_id}"))


@router.post("/comment/{comment_id}/vote")
async def vote_comment(comment_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    await votes.vote_comment(db, ctx.state.here, ctx.viewer, comment_id, forms.required_number(form, "score"))
    view = await comment_queries.get_comment_view(db, ctx.viewer, comment_id)
    if view is None:
        raise AgoraError(Code.couldnt_find_comment)
    target = _next(form, f"/comment/{comment_id}")
    return ctx.done(target, score=view.comment["score"], my_vote=view.my_vote or 0)


@router.post("/post/{post_id}/save")
async def save_post(post_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    saving = forms.flag(form, "save")
    await posts.save(db, ctx.viewer, post_id, saving)
    return ctx.done(_next(form, f"/post/{post_id}"), said=_saved(saving))


@router.post("/comment/{comment_id}/save")
async def save_comment(comment_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    saving = forms.flag(form, "save")
    await comments.save(db, ctx.viewer, comment_id, saving)
    return ctx.done(_next(form, f"/comment/{comment_id}"), said=_saved(saving))


def _saved(saving: bool) -> str:
    return "Saved: find it under Saved on your profile." if saving else "No longer saved."


@router.post("/post/{post_id}/delete")
async def delete_post(post_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    deleting = forms.flag(form, "deleted")
    await posts.set_deleted(db, ctx.state.here, ctx.viewer, post_id, deleting)
    return ctx.done(_next(form, f"/post/{post_id}"), said="Post deleted." if deleting else "Post restored.")


@router.post("/comment/{comment_id}/delete")
async def delete_comment(comment_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    deleting = forms.flag(form, "deleted")
    comment = await comments.set_deleted(db, ctx.state.here, ctx.viewer, comment_id, deleting)
    said = "Comment deleted." if deleting else "Comment restored."
    return ctx.done(_next(form, f"/post/{comment.post_id}#c{comment_id}"), said=said)


@router.post("/post/{post_id}/lock")
async def lock_post(post_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    locking = forms.flag(form, "locked")
    await moderation.lock_post(db, ctx.viewer, post_id, locking)
    said = "Post locked: no new comments." if locking else "Post unlocked: comments are open again."
    return ctx.done(_next(form, f"/post/{post_id}"), said=said)


@router.post("/post/{post_id}/feature")
async def feature_post(post_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    kind = forms.choice(form, "feature_type", ("Community", "Local"), "Community")
    featuring = forms.flag(form, "featured")
    await moderation.feature_post(db, ctx.viewer, post_id, featuring, kind)
    where = "in its community" if kind == "Community" else "on this site's front page"
    said = f"Post featured {where}." if featuring else "Post no longer featured."
    return ctx.done(_next(form, f"/post/{post_id}"), said=said)


@router.post("/comment/{comment_id}/distinguish")
async def distinguish_comment(comment_id: Id, ctx: MemberCtx, form: CheckedForm, db: WriteDb) -> Response:
    marking = forms.flag(form, "distinguished")
    await moderation.distinguish_comment(db, ctx.viewer, comment_id, marking)
    said = "Comment marked as the moderators' word." if marking else "Comment no longer marked."
    return ctx.done(_next(form, f"/comment/{comment_id}"), said=said)
