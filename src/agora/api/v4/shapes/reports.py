"""Reports: CreatePostReport, ResolvePostReport, their comment twins, ListReports and ReportCombinedView."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agora.api.shapes import reports
from agora.api.shapes.reports import ResolveReport as ResolveReport
from agora.api.v4.shapes.base import Form, Id, Limit, Shape, present
from agora.api.v4.shapes.objects import person_json
from agora.api.v4.shapes.views import comment_view_json, post_view_json
from agora.queries.reports import CommentReportItem, PostReportItem

_POST_REPORT = (
    ("id", "id"),
    ("creator_id", "creator_id"),
    ("post_id", "post_id"),
    ("original_post_name", "original_post_name"),
    ("original_post_url", "original_post_url"),
    ("original_post_body", "original_post_body"),
    ("reason", "reason"),
    ("resolved", "resolved"),
    ("resolver_id", "resolver_id"),
    ("published_at", "published"),
    ("updated_at", "updated"),
)
_COMMENT_REPORT = (
    ("id", "id"),
    ("creator_id", "creator_id"),
    ("comment_id", "comment_id"),
    ("original_comment_text", "original_comment_text"),
    ("reason", "reason"),
    ("resolved", "resolved"),
    ("resolver_id", "resolver_id"),
    ("published_at", "published"),
    ("updated_at", "updated"),
)


class CreatePostReport(reports.CreatePostReport):
    violates_instance_rules: bool | None = None


class CreateCommentReport(reports.CreateCommentReport):
    violates_instance_rules: bool | None = None


class ListReports(Form):
    unresolved_only: bool | None = None
    type_: Literal["all", "posts", "comments", "private_messages", "communities"] | None = None
    post_id: Id | None = None
    community_id: Id | None = None
    my_reports_only: bool | None = None
    page_cursor: str | None = Field(None, max_length=40)
    limit: Limit | None = None


class PostReportResponse(Shape):
    post_report_view: dict[str, Any]


class CommentReportResponse(Shape):
    comment_report_view: dict[str, Any]


class PagedReports(Shape):
    items: list[dict[str, Any]]
    next_page: str | None = None
    prev_page: str | None = None


def post_report_view_json(item: PostReportItem) -> dict[str, Any]:
    view = post_view_json(item.post)
    report = present(item.report, _POST_REPORT)
    report["violates_instance_rules"] = False
    out = {**view, "post_report": report, "creator": person_json(item.creator)}
    out["post_creator"] = person_json(item.post.creator)
    if item.resolver is not None:
        out["resolver"] = person_json(item.resolver)
    return out


def comment_report_view_json(item: CommentReportItem) -> dict[str, Any]:
    view = comment_view_json(item.comment)
    report = present(item.report, _COMMENT_REPORT)
    report["violates_instance_rules"] = False
    out = {**view, "comment_report": report, "creator": person_json(item.creator)}
    out["comment_creator"] = person_json(item.comment.creator)
    if item.resolver is not None:
        out["resolver"] = person_json(item.resolver)
    return out
