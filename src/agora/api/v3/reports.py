"""/post/report*, /comment/report*, /user/report_count."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.shared_routes import per_face
from agora.api.v3.paging import paging
from agora.api.v3.shapes import reports as shapes
from agora.deps import Member, ReadDb
from agora.queries import inbox
from agora.queries import reports as report_queries
from agora.responses import json_response

router = APIRouter(tags=["report"])
router.include_router(
    per_face.report_router(
        post=per_face.ViewAnswer(shapes.post_report_view_json, shapes.PostReportResponse),
        comment=per_face.ViewAnswer(shapes.comment_report_view_json, shapes.CommentReportResponse),
    )
)


def _filter(
    params: shapes.ListPostReports | shapes.ListCommentReports,
    *,
    post_id: int | None = None,
    comment_id: int | None = None,
) -> report_queries.ReportFilter:
    """The page of a report listing, unresolved ones unless asked otherwise, of one post's or comment's if named."""
    page, limit = paging(params.page, params.limit)
    return report_queries.ReportFilter(
        unresolved_only=params.unresolved_only is not False,
        community_id=params.community_id,
        page=page,
        limit=limit,
        post_id=post_id,
        comment_id=comment_id,
    )


@router.get("/post/report/list", response_model=shapes.ListPostReportsResponse)
async def list_post_reports(params: Annotated[shapes.ListPostReports, Query()], member: Member, db: ReadDb) -> Response:
    items = await report_queries.post_reports(db, member, _filter(params, post_id=params.post_id))
    return json_response({"post_reports": [shapes.post_report_view_json(i) for i in items]})


@router.get("/comment/report/list", response_model=shapes.ListCommentReportsResponse)
async def list_comment_reports(
    params: Annotated[shapes.ListCommentReports, Query()], member: Member, db: ReadDb
) -> Response:
    f = _filter(params, comment_id=params.comment_id)
    items = await report_queries.comment_reports(db, member, f)
    return json_response({"comment_reports": [shapes.comment_report_view_json(i) for i in items]})


@router.get("/user/report_count", response_model=shapes.GetReportCountResponse)
async def report_count(params: Annotated[shapes.GetReportCount, Query()], member: Member, db: ReadDb) -> Response:
    counts = await report_queries.counts(db, member, params.community_id)
    body = {**counts}
    if params.community_id is not None:
        body["community_id"] = params.community_id
    if member.admin:
        body["private_message_reports"] = await inbox.unresolved_message_reports(db)
    return json_response(body)
