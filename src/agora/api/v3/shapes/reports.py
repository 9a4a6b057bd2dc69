"""Reports: requests and responses, and the report views Lemmy apps expect."""

from __future__ import annotations

from typing import Any

from agora.api.shapes.reports import CreateCommentReport as CreateCommentReport
from agora.api.shapes.reports import CreatePostReport as CreatePostReport
from agora.api.shapes.reports import ResolveReport as ResolveReport
from agora.api.v3.shapes.base import Form, Id, Paging, Shape, Timestamp, pick
from agora.api.v3.shapes.objects import Person, person_json, with_person
from agora.api.v3.shapes.views import comment_view_json, post_view_json
from agora.queries.reports import CommentReportItem, PostReportItem


class _ListReports(Paging):
    """What ListPostReports and ListCommentReports both filter by."""

    unresolved_only: bool | None = None
    community_id: Id | None = None


class ListPostReports(_ListReports):
    post_id: Id | None = None


class ListCommentReports(_ListReports):
    comment_id: Id | None = None


class GetReportCount(Form):
    community_id: Id | None = None


class _Report(Shape):
    """A report's id, reporter and resolution; each report adds what it reports (the text as it was then)."""

    id: int
    creator_id: int
    reason: str
    resolved: bool
    resolver_id: int | None = None
    published: Timestamp
    updated: Timestamp | None = None


class PostReport(_Report):
    post_id: int
    original_post_name: str
    original_post_url: str | None = None
    original_post_body: str | None = None


class CommentReport(_Report):
    comment_id: int
    original_comment_text: str


class PostReportView(Shape):
    post_report: PostReport
    creator: Person
    post_creator: Person
    resolver: Person | None = None


class CommentReportView(Shape):
    comment_report: CommentReport
    creator: Person
    comment_creator: Person
    resolver: Person | None = None


class PostReportResponse(Shape):
    post_report_view: PostReportView


class CommentReportResponse(Shape):
    comment_report_view: CommentReportView


class ListPostReportsResponse(Shape):
    post_reports: list[PostReportView]


class ListCommentReportsResponse(Shape):
    comment_reports: list[CommentReportView]


class GetReportCountResponse(Shape):
    community_id: int | None = None
    comment_reports: int
    post_reports: int
    private_message_reports: int | None = None


# (reporter, the reported item's author, resolver)
People = tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]


def _lemmy_order(report: type[_Report]) -> tuple[str, ...]:
    """A report's fields in the order Lemmy sends them: its id and reporter, what it reports, its resolution."""
    common = tuple(_Report.model_fields)
    return (*common[:2], *(name for name in report.model_fields if name not in common), *common[2:])


POST_REPORT_FIELDS = _lemmy_order(PostReport)
COMMENT_REPORT_FIELDS = _lemmy_order(CommentReport)


def _report_view_json(kind: str, report: dict[str, Any], view: dict[str, Any], people: People) -> dict[str, Any]:
    """Lemmy's `kind` ("post" or "comment") ReportView: the reported item's view with the report, its reporter
    (as `creator`, in place of the item's author), the item's author (`{kind}_creator`) and any resolver."""
    reporter, author, resolver = people
    view.pop("creator")
    out: dict[str, Any] = {
        f"{kind}_report": report,
        **view,
        "creator": person_json(reporter),
        f"{kind}_creator": person_json(author),
    }
    return with_person(out, "resolver", resolver)


def post_report_view_json(item: PostReportItem) -> dict[str, Any]:
    people = (item.creator, item.post.creator, item.resolver)
    return _report_view_json("post", pick(item.report, POST_REPORT_FIELDS), post_view_json(item.post), people)


def comment_report_view_json(item: CommentReportItem) -> dict[str, Any]:
    people = (item.creator, item.comment.creator, item.resolver)
    report = pick(item.report, COMMENT_REPORT_FIELDS)
    return _report_view_json("comment", report, comment_view_json(item.comment), people)
