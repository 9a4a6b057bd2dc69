"""The combined notifications inbox (ListNotifications, NotificationView, MarkNotificationAsRead).

Agora keeps replies and mentions in two tables (as 0.19 did); 1.0 numbers notifications in one sequence. A v4
notification id is therefore the row's id and its table in one number: twice the id for a reply, twice plus one
for a mention, so `mark_as_read` finds its row again.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agora.api.v4.shapes.base import Form, Id, Limit, Shape
from agora.api.v4.shapes.views import comment_view_json

KIND_OF = {"reply": 0, "mention": 1}


def notification_id(kind: str, row_id: int) -> int:
    return row_id * 2 + KIND_OF[kind]


def row_of(notification_id: int) -> tuple[str, int]:
    """The table ("reply" or "mention") and row id a v4 notification id names."""
    return ("mention" if notification_id % 2 else "reply"), notification_id // 2


class ListNotifications(Form):
    type_: Literal["all", "mention", "reply", "subscribed", "private_message", "mod_action"] | None = None
    unread_only: bool | None = None
    page_cursor: str | None = Field(None, max_length=40)
    limit: Limit | None = None


class MarkNotificationAsRead(Form):
    notification_id: Id
    read: bool


class NotificationView(Shape):
    notification: dict[str, Any]
    data: dict[str, Any]


class PagedNotifications(Shape):
    items: list[NotificationView]
    next_page: str | None = None
    prev_page: str | None = None


def notification_view_json(view, kind: str) -> dict[str, Any]:
    row, comment = view.notification, view.comment
    notification = {
        "id": notification_id(kind, row["id"]),
        "recipient_id": row["recipient_id"],
        "comment_id": row["comment_id"],
        "read": row["read"],
        "published_at": row["published"],
        "kind": kind,
        "post_id": comment.comment["post_id"],
        "creator_id": comment.comment["creator_id"],
    }
    return {"notification": notification, "data": {"type_": "comment", **comment_view_json(comment)}}
