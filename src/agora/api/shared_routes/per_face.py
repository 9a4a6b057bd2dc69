"""Write routes both faces declare alike but answer in their own shapes: written once here, built once per face.

The write between request and answer is the one domain call both faces make; what differs is how each face draws the
row it answers with (an `Answer`) and, for a few requests, how strictly it validates the body (the face passes its own
form class, a subclass of the shared one the handler is typed with). Each face includes the routers these builders
return in its own area router, so the routes keep that area's tags.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups, sign_in
from agora.api.shapes.base import SuccessResponse
from agora.api.shapes.comments import CommentVote, CreateComment, DeleteComment, EditComment, GetComment, SaveComment
from agora.api.shapes.communities import AddModToCommunity, TransferCommunity
from agora.api.shapes.messages import (
    CreatePrivateMessage,
    CreatePrivateMessageReport,
    DeletePrivateMessage,
    EditPrivateMessage,
    ResolvePrivateMessageReport,
)
from agora.api.shapes.moderation import DistinguishComment, LockPost, RemoveComment, RemoveCommunity, RemovePost
from agora.api.shapes.posts import DeletePost, PostVote, SavePost
from agora.api.shapes.reports import CreateCommentReport, CreatePostReport, ResolveReport
from agora.deps import MESSAGE, Admin, Here, MaybeViewer, Member, ReadDb, Reader, WriteDb, after_commit, rate_limited
from agora.domain import comments, communities, logins, messages, moderation, posts, reports, votes
from agora.errors import AgoraError, Code
from agora.queries import communities as community_queries
from agora.queries.inbox import MessageItem, MessageReportItem
from agora.queries.reports import CommentReportItem, PostReportItem
from agora.queries.viewer import Viewer
from agora.queries.views import CommunityItem, ModeratorItem
from agora.responses import SUCCESS, json_response

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Response]])


@dataclass(frozen=True)
class Answer:
    """How a face answers a write with the row it touched: `draw` reads and shapes it; `model` names it in OpenAPI."""

    draw: Callable[[AsyncSession, Viewer, int], Awaitable[Response]]
    model: type[BaseModel]


@dataclass(frozen=True)
class Route:
    """Where a face serves a route the faces place differently (0.19 deletes with POST /post/delete, 1.0 with
    DELETE /post)."""

    method: str
    path: str


def taking(form: type[BaseModel]) -> Callable[[Handler], Handler]:
    """Has FastAPI read a handler's body as the face's `form`, a subclass of the class the handler is typed with."""

    def with_form(handler: Handler) -> Handler:
        handler.__annotations__["form"] = form
        return handler

    return with_form


@dataclass(frozen=True)
class ModerationForms:
    """A face's request bodies for the moderators' removals and locks."""

    remove_post: type[RemovePost] = RemovePost
    lock_post: type[LockPost] = LockPost
    remove_comment: type[RemoveComment] = RemoveComment
    remove_community: type[RemoveCommunity] = RemoveCommunity


def session_router(*, logout_path: str, validate_path: str) -> APIRouter:
    """Ending the session a request names and asking whether it still stands, at each face's own paths."""
    router = APIRouter()

    @router.post(logout_path, response_model=SuccessResponse, dependencies=[MESSAGE])
    async def logout(member: Member, db: WriteDb) -> Response:
        await logins.revoke_token(db, member.token)
        return sign_in.signed_out()

    @router.get(validate_path, response_model=SuccessResponse, dependencies=[MESSAGE])
    async def validate_auth(viewer: MaybeViewer) -> Response:
        if viewer is None:
            raise AgoraError(Code.not_logged_in)
        return json_response(SUCCESS)

    return router


def post_router(post: Answer, *, delete: Route, like: type[PostVote]) -> APIRouter:
    """Deleting (or restoring) one's own post, saving it, and voting on a post (with the face's `like` form)."""
    router = APIRouter()

    @router.api_route(delete.path, methods=[delete.method], response_model=post.model, dependencies=[MESSAGE])
    async def delete_post(form: DeletePost, member: Member, db: WriteDb, here: Here) -> Response:
        await posts.set_deleted(db, here, member, form.post_id, form.deleted)
        return await post.draw(db, member, form.post_id)

    @router.put("/post/save", response_model=post.model, dependencies=[MESSAGE])
    async def save_post(form: SavePost, member: Member, db: WriteDb) -> Response:
        await posts.save(db, member, form.post_id, form.save)
        return await post.draw(db, member, form.post_id)

    @router.post("/post/like", response_model=post.model, dependencies=[MESSAGE])
    @taking(like)
    async def like_post(form: PostVote, member: Member, db: WriteDb, here: Here) -> Response:
        await votes.vote_post(db, here, member, form.post_id, form.vote())
        async with after_commit(db) as reader:
            return await post.draw(reader, member, form.post_id)

    return router


@dataclass(frozen=True)
class CommentAnswer(Answer):
    """How a face answers with a comment: `draw` serves any reader (GET /comment too); `created`, when a face has
    one, answers a new comment with the local users its notifications reached (0.19's `recipient_ids`)."""

    draw: Callable[[AsyncSession, Viewer | None, int], Awaitable[Response]]
    created: Callable[[AsyncSession, Viewer, int, list[int]], Awaitable[Response]] | None = None


def comment_router(comment: CommentAnswer, *, delete: Route, like: type[CommentVote]) -> APIRouter:
    """Reading one comment, writing, editing, deleting (or restoring) one's own, saving it, and voting on a comment
    (with the face's `like` form)."""
    router = APIRouter()

    @router.get("/comment", response_model=comment.model, dependencies=[MESSAGE])
    async def get_comment(params: Annotated[GetComment, Query()], db: ReadDb, viewer: Reader) -> Response:
        return await comment.draw(db, viewer, params.id)

    @router.post("/comment", response_model=comment.model, dependencies=[rate_limited("comment")])
    async def create_comment(form: CreateComment, member: Member, db: WriteDb, here: Here) -> Response:
        created = await comments.create(
            db,
            here,
            member,
            post_id=form.post_id,
            content=form.content,
            parent_id=form.parent_id,
            language_id=form.language_id,
        )
        recipients = db.info.get("notified_local_users", {}).get(created.id, [])
        async with after_commit(db) as reader:
            if comment.created is not None:
                return await comment.created(reader, member, created.id, recipients)
            return await comment.draw(reader, member, created.id)

    @router.put("/comment", response_model=comment.model, dependencies=[MESSAGE])
    async def edit_comment(form: EditComment, member: Member, db: WriteDb, here: Here) -> Response:
        await comments.edit(db, here, member, form.comment_id, content=form.content, language_id=form.language_id)
        return await comment.draw(db, member, form.comment_id)

    @router.api_route(delete.path, methods=[delete.method], response_model=comment.model, dependencies=[MESSAGE])
    async def delete_comment(form: DeleteComment, member: Member, db: WriteDb, here: Here) -> Response:
        await comments.set_deleted(db, here, member, form.comment_id, form.deleted)
        return await comment.draw(db, member, form.comment_id)

    @router.put("/comment/save", response_model=comment.model, dependencies=[MESSAGE])
    async def save_comment(form: SaveComment, member: Member, db: WriteDb) -> Response:
        await comments.save(db, member, form.comment_id, form.save)
        return await comment.draw(db, member, form.comment_id)

    @router.post("/comment/like", response_model=comment.model, dependencies=[MESSAGE])
    @taking(like)
    async def like_comment(form: CommentVote, member: Member, db: WriteDb, here: Here) -> Response:
        await votes.vote_comment(db, here, member, form.comment_id, form.vote())
        async with after_commit(db) as reader:
            return await comment.draw(reader, member, form.comment_id)

    return router


def moderation_router(
    post: Answer, comment: Answer, community: Answer, forms: ModerationForms = ModerationForms()
) -> APIRouter:
    """/post/remove, /post/lock, /comment/remove, /comment/distinguish and /community/remove."""
    router = APIRouter()

    @router.post("/post/remove", response_model=post.model, dependencies=[MESSAGE])
    @taking(forms.remove_post)
    async def remove_post(form: RemovePost, member: Member, db: WriteDb, here: Here) -> Response:
        await moderation.remove_post(db, here, member, form.post_id, form.removed, form.reason)
        return await post.draw(db, member, form.post_id)

    @router.post("/post/lock", response_model=post.model, dependencies=[MESSAGE])
    @taking(forms.lock_post)
    async def lock_post(form: LockPost, member: Member, db: WriteDb) -> Response:
        await moderation.lock_post(db, member, form.post_id, form.locked)
        return await post.draw(db, member, form.post_id)

    @router.post("/comment/remove", response_model=comment.model, dependencies=[MESSAGE])
    @taking(forms.remove_comment)
    async def remove_comment(form: RemoveComment, member: Member, db: WriteDb, here: Here) -> Response:
        await moderation.remove_comment(db, here, member, form.comment_id, form.removed, form.reason)
        return await comment.draw(db, member, form.comment_id)

    @router.post("/comment/distinguish", response_model=comment.model, dependencies=[MESSAGE])
    async def distinguish_comment(form: DistinguishComment, member: Member, db: WriteDb) -> Response:
        await moderation.distinguish_comment(db, member, form.comment_id, form.distinguished)
        return await comment.draw(db, member, form.comment_id)

    @router.post("/community/remove", response_model=community.model, dependencies=[MESSAGE])
    @taking(forms.remove_community)
    async def remove_community(form: RemoveCommunity, member: Member, db: WriteDb, here: Here) -> Response:
        await moderation.remove_community(db, here, member, form.community_id, form.removed, form.reason)
        return await community.draw(db, member, form.community_id)

    return router


Item = TypeVar("Item")


@dataclass(frozen=True)
class ViewAnswer(Generic[Item]):
    """How a face draws an item it answers with (`view`), the model its OpenAPI names, and what the face reads
    into items before drawing them (`load`, e.g. 1.0's community tags)."""

    view: Callable[[Item], dict[str, Any]]
    model: type[BaseModel]
    load: Callable[[AsyncSession, Sequence[Item]], Awaitable[None]] | None = None


def staff_router(community: ViewAnswer[CommunityItem], moderator: ViewAnswer[ModeratorItem]) -> APIRouter:
    """Adding or removing a community's moderator (answered with its moderators) and handing the community to
    another of them (answered with the community, its moderators and languages)."""
    router = APIRouter()

    async def moderators(db: AsyncSession, community_id: int) -> list[dict[str, Any]]:
        return [moderator.view(m) for m in await community_queries.moderators(db, community_id)]

    @router.post("/community/mod", response_model=moderator.model, dependencies=[MESSAGE])
    async def add_mod(form: AddModToCommunity, member: Member, db: WriteDb) -> Response:
        await communities.set_moderator(db, member, form.community_id, form.person_id, form.added)
        return json_response({"moderators": await moderators(db, form.community_id)})

    @router.post("/community/transfer", response_model=community.model, dependencies=[MESSAGE])
    async def transfer_community(form: TransferCommunity, member: Member, db: WriteDb) -> Response:
        await communities.transfer(db, member, form.community_id, form.person_id)
        view = await lookups.community(db, member, form.community_id)
        if community.load is not None:
            await community.load(db, [view])
        return json_response(
            {
                "community_view": community.view(view),
                "moderators": await moderators(db, form.community_id),
                "discussion_languages": await community_queries.language_ids(db, form.community_id),
            }
        )

    return router


def report_router(
    post: ViewAnswer[PostReportItem],
    comment: ViewAnswer[CommentReportItem],
    *,
    create_post_report: type[CreatePostReport] = CreatePostReport,
    create_comment_report: type[CreateCommentReport] = CreateCommentReport,
) -> APIRouter:
    """/post/report and /comment/report, and resolving either; the reporter always sees the report they filed."""
    router = APIRouter()

    async def post_report(db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False) -> Response:
        item = await lookups.post_report(db, viewer, report_id, reporter=reporter)
        return json_response({"post_report_view": post.view(item)})

    async def comment_report(db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False) -> Response:
        item = await lookups.comment_report(db, viewer, report_id, reporter=reporter)
        return json_response({"comment_report_view": comment.view(item)})

    @router.post("/post/report", response_model=post.model, dependencies=[MESSAGE])
    @taking(create_post_report)
    async def report_post(form: CreatePostReport, member: Member, db: WriteDb) -> Response:
        report_id = await reports.report_post(db, member, form.post_id, form.reason)
        return await post_report(db, member, report_id, reporter=True)

    @router.put("/post/report/resolve", response_model=post.model, dependencies=[MESSAGE])
    async def resolve_post_report(form: ResolveReport, member: Member, db: WriteDb) -> Response:
        await reports.resolve_post_report(db, member, form.report_id, form.resolved)
        return await post_report(db, member, form.report_id)

    @router.post("/comment/report", response_model=comment.model, dependencies=[MESSAGE])
    @taking(create_comment_report)
    async def report_comment(form: CreateCommentReport, member: Member, db: WriteDb) -> Response:
        report_id = await reports.report_comment(db, member, form.comment_id, form.reason)
        return await comment_report(db, member, report_id, reporter=True)

    @router.put("/comment/report/resolve", response_model=comment.model, dependencies=[MESSAGE])
    async def resolve_comment_report(form: ResolveReport, member: Member, db: WriteDb) -> Response:
        await reports.resolve_comment_report(db, member, form.report_id, form.resolved)
        return await comment_report(db, member, form.report_id)

    return router


def message_router(
    message: ViewAnswer[MessageItem],
    report: ViewAnswer[MessageReportItem],
    *,
    delete: Route,
    report_form: type[CreatePrivateMessageReport] = CreatePrivateMessageReport,
) -> APIRouter:
    """Writing, editing, deleting and reporting a private message, and an admin resolving the report. 0.19 deletes
    with POST /private_message/delete, 1.0 with DELETE /private_message, so each face names its `delete`."""
    router = APIRouter()

    async def drawn(db: AsyncSession, viewer: Viewer, message_id: int) -> Response:
        return json_response({"private_message_view": message.view(await lookups.message(db, viewer, message_id))})

    async def message_report(db: AsyncSession, report_id: int) -> Response:
        item = await lookups.message_report(db, report_id)
        return json_response({"private_message_report_view": report.view(item)})

    @router.post("/private_message", response_model=message.model, dependencies=[MESSAGE])
    async def create_message(form: CreatePrivateMessage, member: Member, db: WriteDb, here: Here) -> Response:
        created = await messages.create(db, here, member, form.recipient_id, form.content)
        return await drawn(db, member, created.id)

    @router.put("/private_message", response_model=message.model, dependencies=[MESSAGE])
    async def edit_message(form: EditPrivateMessage, member: Member, db: WriteDb, here: Here) -> Response:
        await messages.edit(db, here, member, form.private_message_id, form.content)
        return await drawn(db, member, form.private_message_id)

    @router.api_route(delete.path, methods=[delete.method], response_model=message.model, dependencies=[MESSAGE])
    async def delete_message(form: DeletePrivateMessage, member: Member, db: WriteDb) -> Response:
        await messages.set_deleted(db, member, form.private_message_id, form.deleted)
        return await drawn(db, member, form.private_message_id)

    @router.post("/private_message/report", response_model=report.model, dependencies=[MESSAGE])
    @taking(report_form)
    async def report_message(form: CreatePrivateMessageReport, member: Member, db: WriteDb) -> Response:
        report_id = await messages.report(db, member, form.private_message_id, form.reason)
        return await message_report(db, report_id)

    @router.put("/private_message/report/resolve", response_model=report.model, dependencies=[MESSAGE])
    async def resolve_message_report(form: ResolvePrivateMessageReport, admin: Admin, db: WriteDb) -> Response:
        await messages.resolve_report(db, admin, form.report_id, form.resolved)
        return await message_report(db, form.report_id)

    return router
