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
from agora.core.instance import LocalInstance
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


def item_id(form: BaseModel, kind: str) -> int:
    """The id of the item of that `kind` a form names: Lemmy's forms call it `post_id`, `comment_id`, `community_id`."""
    return getattr(form, f"{kind}_id")


@dataclass(frozen=True)
class OwnItem:
    """Posts and comments alike: a member deletes (or restores) their own, saves any, votes on any. `kind` names the
    item in paths (`/post/save`), handlers and forms (`post_id`); the rest are its forms and the domain's writes."""

    kind: str
    delete_form: type[DeletePost | DeleteComment]
    save_form: type[SavePost | SaveComment]
    set_deleted: Callable[[AsyncSession, LocalInstance, Viewer, int, bool], Awaitable[object]]
    save: Callable[[AsyncSession, Viewer, int, bool], Awaitable[None]]
    vote: Callable[[AsyncSession, LocalInstance, Viewer, int, int], Awaitable[object]]


POST = OwnItem("post", DeletePost, SavePost, posts.set_deleted, posts.save, votes.vote_post)
COMMENT = OwnItem("comment", DeleteComment, SaveComment, comments.set_deleted, comments.save, votes.vote_comment)


def own_item_routes(router: APIRouter, item: OwnItem, answer: Answer, *, delete: Route, like: type[BaseModel]) -> None:
    """Adds to `router` deleting (or restoring) one's own `item`, saving it and voting on it (with the face's `like`
    form), each answered with the item as `answer` draws it. The handlers take the names they would have written out
    (`delete_post`, `save_comment` …): the OpenAPI operation ids and summaries come from them."""
    kind = item.kind

    @router.api_route(
        delete.path, methods=[delete.method], name=f"delete_{kind}", response_model=answer.model, dependencies=[MESSAGE]
    )
    @taking(item.delete_form)
    async def delete_item(form: DeletePost | DeleteComment, member: Member, db: WriteDb, here: Here) -> Response:
        await item.set_deleted(db, here, member, item_id(form, kind), form.deleted)
        return await answer.draw(db, member, item_id(form, kind))

    @router.put(f"/{kind}/save", name=f"save_{kind}", response_model=answer.model, dependencies=[MESSAGE])
    @taking(item.save_form)
    async def save_item(form: SavePost | SaveComment, member: Member, db: WriteDb) -> Response:
        await item.save(db, member, item_id(form, kind), form.save)
        return await answer.draw(db, member, item_id(form, kind))

    @router.post(f"/{kind}/like", name=f"like_{kind}", response_model=answer.model, dependencies=[MESSAGE])
    @taking(like)
    async def like_item(form: PostVote | CommentVote, member: Member, db: WriteDb, here: Here) -> Response:
        await item.vote(db, here, member, item_id(form, kind), form.vote())
        async with after_commit(db) as reader:
            return await answer.draw(reader, member, item_id(form, kind))


def post_router(post: Answer, *, delete: Route, like: type[PostVote]) -> APIRouter:
    """Deleting (or restoring) one's own post, saving it, and voting on a post (with the face's `like` form)."""
    router = APIRouter()
    own_item_routes(router, POST, post, delete=delete, like=like)
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

    own_item_routes(router, COMMENT, comment, delete=delete, like=like)
    return router


def removal_route(
    router: APIRouter,
    kind: str,
    remove: Callable[[AsyncSession, LocalInstance, Viewer, int, bool, str | None], Awaitable[object]],
    answer: Answer,
    remove_form: type[RemovePost | RemoveComment | RemoveCommunity],
) -> None:
    """Adds to `router` POST /{kind}/remove: a moderator removes (or restores) a post, comment or community with a
    reason, answered with it as `answer` draws it. The handler takes the name it would have written out
    (`remove_post`)."""

    @router.post(f"/{kind}/remove", name=f"remove_{kind}", response_model=answer.model, dependencies=[MESSAGE])
    @taking(remove_form)
    async def remove_item(
        form: RemovePost | RemoveComment | RemoveCommunity, member: Member, db: WriteDb, here: Here
    ) -> Response:
        await remove(db, here, member, item_id(form, kind), form.removed, form.reason)
        return await answer.draw(db, member, item_id(form, kind))


def moderation_router(
    post: Answer, comment: Answer, community: Answer, forms: ModerationForms = ModerationForms()
) -> APIRouter:
    """/post/remove, /post/lock, /comment/remove, /comment/distinguish and /community/remove."""
    router = APIRouter()

    removal_route(router, "post", moderation.remove_post, post, forms.remove_post)

    @router.post("/post/lock", response_model=post.model, dependencies=[MESSAGE])
    @taking(forms.lock_post)
    async def lock_post(form: LockPost, member: Member, db: WriteDb) -> Response:
        await moderation.lock_post(db, member, form.post_id, form.locked)
        return await post.draw(db, member, form.post_id)

    removal_route(router, "comment", moderation.remove_comment, comment, forms.remove_comment)

    @router.post("/comment/distinguish", response_model=comment.model, dependencies=[MESSAGE])
    async def distinguish_comment(form: DistinguishComment, member: Member, db: WriteDb) -> Response:
        await moderation.distinguish_comment(db, member, form.comment_id, form.distinguished)
        return await comment.draw(db, member, form.comment_id)

    removal_route(router, "community", moderation.remove_community, community, forms.remove_community)
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


@dataclass(frozen=True)
class ReportedItem:
    """Posts and comments alike again: a member reports one, a moderator resolves the report. The `item` names the
    paths (`/post/report`), handlers and answers (`post_report_view`); the rest are the domain's writes and the
    lookup of a report as a viewer may see it."""

    item: OwnItem
    report: Callable[[AsyncSession, Viewer, int, str | None], Awaitable[int]]
    resolve: Callable[[AsyncSession, Viewer, int, bool], Awaitable[object]]
    lookup: Callable[..., Awaitable[Any]]


POST_REPORTS = ReportedItem(POST, reports.report_post, reports.resolve_post_report, lookups.post_report)
COMMENT_REPORTS = ReportedItem(COMMENT, reports.report_comment, reports.resolve_comment_report, lookups.comment_report)


def report_routes(
    router: APIRouter,
    reported: ReportedItem,
    answer: ViewAnswer[Any],
    report_form: type[CreatePostReport | CreateCommentReport],
) -> None:
    """Adds to `router` reporting the item (with the face's `report_form`) and resolving its reports, each answered
    with the report as `answer` draws it; the reporter always sees the report they filed. The handlers take the names
    they would have written out (`report_post`, `resolve_comment_report`)."""
    item = reported.item
    kind = item.kind

    async def drawn(db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False) -> Response:
        found = await reported.lookup(db, viewer, report_id, reporter=reporter)
        return json_response({f"{kind}_report_view": answer.view(found)})

    @router.post(f"/{kind}/report", name=f"report_{kind}", response_model=answer.model, dependencies=[MESSAGE])
    @taking(report_form)
    async def report_item(form: CreatePostReport | CreateCommentReport, member: Member, db: WriteDb) -> Response:
        report_id = await reported.report(db, member, item_id(form, kind), form.reason)
        return await drawn(db, member, report_id, reporter=True)

    @router.put(
        f"/{kind}/report/resolve", name=f"resolve_{kind}_report", response_model=answer.model, dependencies=[MESSAGE]
    )
    async def resolve_report(form: ResolveReport, member: Member, db: WriteDb) -> Response:
        await reported.resolve(db, member, form.report_id, form.resolved)
        return await drawn(db, member, form.report_id)


def report_router(
    post: ViewAnswer[PostReportItem],
    comment: ViewAnswer[CommentReportItem],
    *,
    create_post_report: type[CreatePostReport] = CreatePostReport,
    create_comment_report: type[CreateCommentReport] = CreateCommentReport,
) -> APIRouter:
    """/post/report and /comment/report, and resolving either."""
    router = APIRouter()
    report_routes(router, POST_REPORTS, post, create_post_report)
    report_routes(router, COMMENT_REPORTS, comment, create_comment_report)
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
