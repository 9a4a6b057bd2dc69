"""/post/report*, /comment/report*, /user/report_count."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.v3.paging import paging
from agora.api.v3.shapes.reports import (
    CommentReportResponse,
    CreateCommentReport,
    CreatePostReport,
    GetReportCount,
    GetReportCountResponse,
    ListCommentReports,
    ListCommentReportsResponse,
    ListPostReports,
    ListPostReportsResponse,
    PostReportResponse,
    ResolveReport,
    comment_report_view_json,
    post_report_view_json,
)
from agora.deps import Member, ReadDb, WriteDb, rate_limited
from agora.domain import reports
from agora.queries import inbox
from agora.queries import reports as report_queries
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["report"])
MESSAGE = rate_limited("message")


async def _post_report(db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False) -> Response:
    item = await lookups.post_report(db, viewer, report_id, reporter=reporter)
    return json_response({"post_report_view": post_report_view_json(item)})


async def _comment_report(db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False) -> Response:
    item = await lookups.comment_report(db, viewer, report_id, reporter=reporter)
    return json_response({"comment_report_view": comment_report_view_json(item)})


@router.post("/post/report", response_model=PostReportResponse, dependencies=[MESSAGE])
async def report_post(form: CreatePostReport, member: Member, db: WriteDb) -> Response:
    report_id = await reports.report_post(db, member, form.post_id, form.reason)
    return await _post_report(db, member, report_id, reporter=True)


@router.put("/post/report/resolve", response_model=PostReportResponse, dependencies=[MESSAGE])
async def resolve_post_report(form: ResolveReport, member: Member, db: WriteDb) -> Response:
    await reports.resolve_post_report(db, member, form.report_id, form.resolved)
    return await _post_report(db, member, form.report_id)


@router.get("/post/report/list", response_model=ListPostReportsResponse)
async def list_post_reports(params: Annotated[ListPostReports, Query()], member: Member, db: ReadDb) -> Response:
    page, limit = paging(params.page, params.limit)
    f = report_queries.ReportFilter(
        unresolved_only=params.unresolved_only is not False,
        community_id=params.community_id,
        post_id=params.post_id,
        page=page,
        limit=limit,
    )
    items = await report_queries.post_reports(db, member, f)
    return json_response({"post_reports": [post_report_view_json(i) for i in items]})


@router.post("/comment/report", response_model=CommentReportResponse, dependencies=[MESSAGE])
async def report_comment(form: CreateCommentReport, member: Member, db: WriteDb) -> Response:
    report_id = await reports.report_comment(db, member, form.comment_id, form.reason)
    return await _comment_report(db, member, report_id, reporter=True)


@router.put("/comment/report/resolve", response_model=CommentReportResponse, dependencies=[MESSAGE])
async def resolve_comment_report(form: ResolveReport, member: Member, db: WriteDb) -> Response:
    await reports.resolve_comment_report(db, member, form.report_id, form.resolved)
    return await _comment_report(db, member, form.report_id)


@router.get("/comment/report/list", response_model=ListCommentReportsResponse)
async def list_comment_reports(params: Annotated[ListCommentReports, Query()], member: Member, db: ReadDb) -> Response:
    page, limit = paging(params.page, params.limit)
    f = report_queries.ReportFilter(
        unresolved_only=params.unresolved_only is not False,
        community_id=params.community_id,
        comment_id=params.comment_id,
        page=page,
        limit=limit,
    )
    items = await report_queries.comment_reports(db, member, f)
    return json_response({"comment_reports": [comment_report_view_json(i) for i in items]})


@router.get("/user/report_count", response_model=GetReportCountResponse)
async def report_count(params: Annotated[GetReportCount, Query()], member: Member, db: ReadDb) -> Response:
    counts = await report_queries.counts(db, member, params.community_id)
    body = {**counts}
    if params.community_id is not None:
        body["community_id"] = params.community_id
    if member.admin:
        body["private_message_reports"] = await inbox.unresolved_message_reports(db)
    return json_response(body)
