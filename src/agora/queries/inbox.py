"""A member's inbox: replies and mentions as Lemmy's views, private messages, unread counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import (
    Comment,
    CommentReply,
    Person,
    PersonBlock,
    PersonMention,
    PersonWarning,
    PrivateMessage,
    PrivateMessageReport,
)
from agora.queries import comments as comment_queries
from agora.queries import paging, rows
from agora.queries.rows import Row
from agora.queries.viewer import Viewer
from agora.queries.views import CommentItem

PM = PrivateMessage.__table__
_ORDER = {
    "New": (Comment.published.desc(),),
    "Old": (Comment.published.asc(),),
    "Top": (Comment.score.desc(), Comment.published.desc()),
    "Hot": (Comment.hot_rank.desc(), Comment.published.desc()),
    "Controversial": (Comment.controversy_rank.desc(), Comment.published.desc()),
}


@dataclass(slots=True)
class NotificationItem:
    notification: Row  # the comment_reply or person_mention row
    comment: CommentItem
    recipient: Row


@dataclass(slots=True)
class MessageItem:
    message: Row
    creator: Row
    recipient: Row


def _shown(model: Notice, viewer: Viewer) -> list[ColumnElement[bool]]:
    """What the viewer's inbox shows of `model` (CommentReply or PersonMention, joined to its Comment), in the list
    and in the unread count alike, as Lemmy 0.19: comments neither deleted nor removed, by no one the viewer
    blocks, and by no bot account when the viewer hides bots."""
    blocked = select(PersonBlock.target_id).where(PersonBlock.person_id == viewer.person_id)
    conditions: list[ColumnElement[bool]] = [
        model.recipient_id == viewer.person_id,
        Comment.creator_id.not_in(blocked),
        Comment.deleted.is_(False),
        Comment.removed.is_(False),
    ]
    if not viewer.show_bot_accounts:
        conditions.append(~exists().where(Person.id == Comment.creator_id, Person.bot_account.is_(True)))
    return conditions


Notice = type[CommentReply] | type[PersonMention]
KINDS: dict[str, Notice] = {"reply": CommentReply, "mention": PersonMention}


async def notifications(
    session: AsyncSession, viewer: Viewer, kind: str, *, sort: str, unread_only: bool, page: int, limit: int
) -> list[NotificationItem]:
    """Replies (`kind` "reply") or mentions ("mention") for the viewer (see `_shown`)."""
    model = KINDS[kind]
    query = (
        select(model.id, model.recipient_id, model.comment_id, model.read, model.published)
        .join(Comment, Comment.id == model.comment_id)
        .where(*_shown(model, viewer))
    )
    if unread_only:
        query = query.where(model.read.is_(False))
    query = query.order_by(*_ORDER.get(sort, _ORDER["New"]), model.id.desc()).limit(limit).offset((page - 1) * limit)
    found = [dict(r) for r in (await session.execute(query)).mappings()]
    recipient = (await rows.persons(session, [viewer.person_id]))[viewer.person_id]
    views = []
    for row in found:
        comment = await comment_queries.get_comment_view(session, viewer, row["comment_id"])
        if comment is not None:
            views.append(NotificationItem(row, comment, recipient))
    return views


async def notification(session: AsyncSession, viewer: Viewer, kind: str, row_id: int) -> NotificationItem | None:
    """One reply ("reply") or mention ("mention") of the viewer's."""
    row: CommentReply | PersonMention | None = await session.get(KINDS[kind], row_id)
    if row is None or row.recipient_id != viewer.person_id:
        return None
    comment = await comment_queries.get_comment_view(session, viewer, row.comment_id)
    if comment is None:
        return None
    data = {k: getattr(row, k) for k in ("id", "recipient_id", "comment_id", "read", "published")}
    return NotificationItem(data, comment, (await rows.persons(session, [viewer.person_id]))[viewer.person_id])


async def messages(
    session: AsyncSession, viewer: Viewer, *, unread_only: bool, creator_id: int | None, page: int, limit: int
) -> list[MessageItem]:
    """Messages to and from the viewer, newest first; unread_only means unread ones sent to them."""
    blocked = select(PersonBlock.target_id).where(PersonBlock.person_id == viewer.person_id)
    query = select(PM).where(PM.c.deleted.is_(False), PM.c.removed.is_(False), PM.c.creator_id.not_in(blocked))
    if unread_only:
        query = query.where(PM.c.recipient_id == viewer.person_id, PM.c.read.is_(False))
    else:
        query = query.where(or_(PM.c.recipient_id == viewer.person_id, PM.c.creator_id == viewer.person_id))
    if creator_id is not None:
        query = query.where(PM.c.creator_id == creator_id)
    query = paging.newest_first(query, PM, page, limit)
    return await _message_views(session, [dict(r) for r in (await session.execute(query)).mappings()])


async def message(session: AsyncSession, viewer: Viewer, message_id: int) -> MessageItem | None:
    """One message, only for its sender and recipient."""
    row = (await session.execute(select(PM).where(PM.c.id == message_id))).mappings().first()
    if row is None or viewer.person_id not in (row["creator_id"], row["recipient_id"]):
        return None
    return (await _message_views(session, [dict(row)]))[0]


async def _message_views(session: AsyncSession, found: list[Row]) -> list[MessageItem]:
    people = await rows.persons(session, [m[k] for m in found for k in ("creator_id", "recipient_id")])
    return [MessageItem(m, people[m["creator_id"]], people[m["recipient_id"]]) for m in found]


async def unread_counts(session: AsyncSession, viewer: Viewer) -> dict[str, int]:
    """The four counts in one round trip (every web page shows them in its header)."""
    blocked = select(PersonBlock.target_id).where(PersonBlock.person_id == viewer.person_id)

    def count(model: Notice) -> ScalarSelect[int]:
        return (
            select(func.count())
            .select_from(model)
            .join(Comment, Comment.id == model.comment_id)
            .where(model.read.is_(False), *_shown(model, viewer))
            .scalar_subquery()
        )

    messages_query = select(func.count()).where(
        PM.c.recipient_id == viewer.person_id,
        PM.c.read.is_(False),
        PM.c.deleted.is_(False),
        PM.c.removed.is_(False),
        PM.c.creator_id.not_in(blocked),
    )
    warnings_query = select(func.count()).where(
        PersonWarning.person_id == viewer.person_id, PersonWarning.read.is_(False)
    )
    row = (
        await session.execute(
            select(
                count(CommentReply).label("replies"),
                count(PersonMention).label("mentions"),
                messages_query.scalar_subquery().label("private_messages"),
                warnings_query.scalar_subquery().label("warnings"),
            )
        )
    ).one()
    return dict(row._mapping)


@dataclass(slots=True)
class MessageReportItem:
    report: Row
    message: Row
    message_creator: Row
    creator: Row
    resolver: Row | None


async def message_reports(
    session: AsyncSession, *, unresolved_only: bool, page: int, limit: int, report_id: int | None = None
) -> list[MessageReportItem]:
    """Reports of private messages, for admins."""
    report = PrivateMessageReport.__table__
    query = select(report)
    if unresolved_only:
        query = query.where(report.c.resolved.is_(False))
    if report_id is not None:
        query = query.where(report.c.id == report_id)
    query = paging.newest_first(query, report, page, limit)
    found = [dict(r) for r in (await session.execute(query)).mappings()]
    message_rows = await session.execute(select(PM).where(PM.c.id.in_([r["private_message_id"] for r in found])))
    by_id = {m["id"]: dict(m) for m in message_rows.mappings()}
    people = await rows.persons(
        session,
        [r[k] for r in found for k in ("creator_id", "resolver_id")] + [m["creator_id"] for m in by_id.values()],
    )
    return [
        MessageReportItem(
            r,
            by_id[r["private_message_id"]],
            people[by_id[r["private_message_id"]]["creator_id"]],
            people[r["creator_id"]],
            people.get(r["resolver_id"]),
        )
        for r in found
    ]


async def unresolved_message_reports(session: AsyncSession) -> int:
    report = PrivateMessageReport.__table__
    return (await session.execute(select(func.count()).where(report.c.resolved.is_(False)))).scalar_one()
