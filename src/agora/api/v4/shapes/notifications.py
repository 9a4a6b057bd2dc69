"""The combined notifications inbox (ListNotifications, NotificationView, MarkNotificationAsRead).

Agora keeps replies, mentions and private messages in their own tables (as 0.19 did); 1.0 numbers notifications
in one sequence. A v4 notification id is therefore the row's id and its table in one number, `id * 4 + table`
(0 reply, 1 mention, 2 private message, 3 subscribed: a new post or comment a notification mode asked for),
so `mark_as_read` finds its row again.
"""

from __future__ import annotations

from typing import Any, Literal

from agora.api.shapes import messages
from agora.api.shapes.messages import CreatePrivateMessage as CreatePrivateMessage
from agora.api.shapes.messages import DeletePrivateMessage as DeletePrivateMessage
from agora.api.shapes.messages import EditPrivateMessage as EditPrivateMessage
from agora.api.shapes.messages import ResolvePrivateMessageReport as ResolvePrivateMessageReport
from agora.api.v4.shapes.base import CursorPaging, Form, Id, Paged, Shape, present
from agora.api.v4.shapes.objects import person_json
from agora.api.v4.shapes.reports import report_columns
from agora.api.v4.shapes.views import comment_view_json, post_view_json
from agora.queries import inbox
from agora.queries.subscribed_notifications import SubscribedItem

KINDS = ("reply", "mention", "private_message", "subscribed")


def notification_id(kind: str, row_id: int) -> int:
    return row_id * 4 + KINDS.index(kind)


def row_of(notification_id: int) -> tuple[str, int]:
    """The table ("reply", "mention", "private_message" or "subscribed") and row id a v4 notification id names."""
    table = notification_id % 4
    if table >= len(KINDS):
        return "", 0
    return KINDS[table], notification_id // 4


class ListNotifications(CursorPaging):
    type_: Literal["all", "mention", "reply", "subscribed", "private_message", "mod_action"] | None = None
    unread_only: bool | None = None


class MarkNotificationAsRead(Form):
    notification_id: Id
    read: bool


class NotificationView(Shape):
    notification: dict[str, Any]
    data: dict[str, Any]


class PagedNotifications(Paged[NotificationView]):
    pass


def _notification(kind: str, row: dict[str, Any], target: tuple[str, int], **about: Any) -> dict[str, Any]:
    """1.0's Notification for a reply's, mention's or private message's `row`: `target` names the comment or the
    message (key, id), `about` what else it names (the post, the creator), in that order."""
    key, target_id = target
    return {
        "id": notification_id(kind, row["id"]),
        "recipient_id": row["recipient_id"],
        key: target_id,
        "read": row["read"],
        "published_at": row["published"],
        "kind": kind,
        **about,
    }


def notification_view_json(view: inbox.NotificationItem, kind: str) -> dict[str, Any]:
    row, comment = view.notification, view.comment
    about = {"post_id": comment.comment["post_id"], "creator_id": comment.comment["creator_id"]}
    notification = _notification(kind, row, ("comment_id", row["comment_id"]), **about)
    return {"notification": notification, "data": {"type_": "comment", **comment_view_json(comment)}}


def subscribed_json(item: SubscribedItem) -> dict[str, Any]:
    row = item.notification
    if item.comment is not None:
        comment = item.comment.comment
        about = {"post_id": comment["post_id"], "creator_id": comment["creator_id"]}
        notification = _notification("subscribed", row, ("comment_id", comment["id"]), **about)
        return {"notification": notification, "data": {"type_": "comment", **comment_view_json(item.comment)}}
    assert item.post is not None
    post = item.post.post
    notification = _notification("subscribed", row, ("post_id", post["id"]), creator_id=post["creator_id"])
    return {"notification": notification, "data": {"type_": "post", **post_view_json(item.post)}}


_MESSAGE = (
    ("id", "id"),
    ("creator_id", "creator_id"),
    ("recipient_id", "recipient_id"),
    ("content", "content"),
    ("deleted", "deleted"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("ap_id", "ap_id"),
    ("local", "local"),
    ("removed", "removed"),
)


def message_view_json(view: inbox.MessageItem) -> dict[str, Any]:
    message = present(view.message, _MESSAGE)
    message["deleted_by_recipient"] = False
    return {"private_message": message, "creator": person_json(view.creator), "recipient": person_json(view.recipient)}


def message_notification_json(view: inbox.MessageItem) -> dict[str, Any]:
    message = view.message
    target = ("private_message_id", message["id"])
    notification = _notification("private_message", message, target, creator_id=message["creator_id"])
    return {"notification": notification, "data": {"type_": "private_message", **message_view_json(view)}}


class PrivateMessageResponse(Shape):
    private_message_view: dict[str, Any]


class ReportPrivateMessage(messages.CreatePrivateMessageReport):
    """1.0's name for 0.19's CreatePrivateMessageReport."""


class PrivateMessageReportResponse(Shape):
    private_message_report_view: dict[str, Any]


_MESSAGE_REPORT = report_columns(("private_message_id", "private_message_id"), ("original_pm_text", "original_pm_text"))


def message_report_view_json(view: inbox.MessageReportItem) -> dict[str, Any]:
    message = present(view.message, _MESSAGE)
    message["deleted_by_recipient"] = False
    out = {
        "private_message_report": present(view.report, _MESSAGE_REPORT),
        "private_message": message,
        "private_message_creator": person_json(view.message_creator),
        "creator": person_json(view.creator),
    }
    if view.resolver is not None:
        out["resolver"] = person_json(view.resolver)
    return out
