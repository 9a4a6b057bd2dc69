"""Reports: CreatePostReport, ResolvePostReport, their comment twins, ListReports and ReportCombinedView."""

from __future__ import annotations

from typing import Any, Literal

from agora.api.shapes import reports
from agora.api.shapes.reports import ResolveReport as ResolveReport
from agora.api.v4.shapes.base import CursorPaging, Id, Paged, Shape, present
from agora.api.v4.shapes.objects import person_json
from agora.api.v4.shapes.views import comment_view_json, post_view_json
from agora.queries.reports import CommentReportItem, PostReportItem

# (reporter, the reported item's author, resolver)
People = tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]


def report_columns(*reported: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """A report's `(1.0 name, column)` pairs: its id and reporter, what it reports (`reported`), its resolution."""
    return (
        ("id", "id"),
        ("creator_id", "creator_id"),
        *reported,
        ("reason", "reason"),
        ("resolved", "resolved"),
        ("resolver_id", "resolver_id"),
        ("published_at", "published"),
        ("updated_at", "updated"),
    )


_POST_REPORT = report_columns(
    ("post_id", "post_id"),
    ("original_post_name", "original_post_name"),
    ("original_post_url", "original_post_url"),
    ("original_post_body", "original_post_body"),
)
_COMMENT_REPORT = report_columns(("comment_id", "comment_id"), ("original_comment_text", "original_comment_text"))


class CreatePostReport(reports.CreatePostReport):
    violates_instance_rules: bool | None = None


class CreateCommentReport(reports.CreateCommentReport):
    violates_instance_rules: bool | None = None


class ListReports(CursorPaging):
    unresolved_only: bool | None = None
    type_: Literal["all", "posts", "comments", "private_messages", "communities"] | None = None
    post_id: Id | None = None
    community_id: Id | None = None
    my_reports_only: bool | None = None


class PostReportResponse(Shape):
    post_report_view: dict[str, Any]


class CommentReportResponse(Shape):
    comment_report_view: dict[str, Any]


class PagedReports(Paged[dict[str, Any]]):
    pass


def _report_view_json(kind: str, view: dict[str, Any], report: dict[str, Any], people: People) -> dict[str, Any]:
    """1.0's `kind` ("post" or "comment") ReportView: the reported item's view with the report, its reporter (as
    `creator`, in place of the item's author), the item's author (`{kind}_creator`) and any resolver."""
    reporter, author, resolver = people
    report["violates_instance_rules"] = False
    out = {**view, f"{kind}_report": report, "creator": person_json(reporter)}
    out[f"{kind}_creator"] = person_json(author)
    if resolver is not None:
        out["resolver"] = person_json(resolver)
    return out


def post_report_view_json(item: PostReportItem) -> dict[str, Any]:
    people = (item.creator, item.post.creator, item.resolver)
    return _report_view_json("post", post_view_json(item.post), present(item.report, _POST_REPORT), people)


def comment_report_view_json(item: CommentReportItem) -> dict[str, Any]:
    people = (item.creator, item.comment.creator, item.resolver)
    return _report_view_json("comment", comment_view_json(item.comment), present(item.report, _COMMENT_REPORT), people)
