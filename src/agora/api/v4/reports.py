"""Reports of posts and comments, and the combined report list (/report/list, with community reports)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.shared_routes import per_face
from agora.api.v4 import paging
from agora.api.v4.shapes import reports as shapes
from agora.api.v4.shapes.community_reports import community_report_view_json
from agora.deps import MESSAGE, Member, ReadDb
from agora.queries import community_reports as community_report_queries
from agora.queries import reports as report_queries
from agora.responses import json_response

router = APIRouter(tags=["v4: report"])
router.include_router(
    per_face.report_router(
        post=per_face.ViewAnswer(shapes.post_report_view_json, shapes.PostReportResponse),
        comment=per_face.ViewAnswer(shapes.comment_report_view_json, shapes.CommentReportResponse),
        create_post_report=shapes.CreatePostReport,
        create_comment_report=shapes.CreateCommentReport,
    )
)


@router.get("/report/list", response_model=shapes.PagedReports, dependencies=[MESSAGE])
async def list_reports(params: Annotated[shapes.ListReports, Query()], member: Member, db: ReadDb) -> Response:
    limit = paging.limit_of(params.limit, default=10)
    page = paging.offset_page(params.page_cursor)
    window = paging.merged_window(page, limit)
    f = report_queries.ReportFilter(
        unresolved_only=bool(params.unresolved_only),
        reporter=bool(params.my_reports_only),
        community_id=params.community_id,
        post_id=params.post_id,
        limit=window,
    )
    kind = params.type_ or "all"
    parts = []
    if kind in ("all", "posts"):
        parts.append(
            [
                {"type_": "post", **shapes.post_report_view_json(i)}
                for i in await report_queries.post_reports(db, member, f)
            ]
        )
    if kind in ("all", "comments") and params.post_id is None:
        found = await report_queries.comment_reports(db, member, f)
        parts.append([{"type_": "comment", **shapes.comment_report_view_json(i)} for i in found])
    if kind in ("all", "communities"):
        found_communities = await community_report_queries.community_reports(db, member, f)
        parts.append([{"type_": "community", **community_report_view_json(i)} for i in found_communities])
    items = paging.merged_page(parts, page, limit, key=_published)
    return json_response(paging.offset_paged(items, page, limit))


def _published(item: dict) -> tuple:
    report = item.get("post_report") or item.get("comment_report") or item["community_report"]
    return (report["published_at"], report["id"])
