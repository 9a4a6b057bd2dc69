"""POST /community/report and PUT /community/report/resolve: whole communities reported to the admins."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.v4.shapes import community_reports as shapes
from agora.deps import MESSAGE, Member, WriteDb
from agora.domain import community_reports
from agora.errors import Code
from agora.queries import community_reports as community_report_queries
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["v4: report"])


async def _response(db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False) -> Response:
    found = await community_report_queries.community_report(db, viewer, report_id, reporter=reporter)
    item = lookups.found(found, Code.couldnt_find_community_report)
    return json_response({"community_report_view": shapes.community_report_view_json(item)})


@router.post("/community/report", response_model=shapes.CommunityReportResponse, dependencies=[MESSAGE])
async def report_community(form: shapes.CreateCommunityReport, member: Member, db: WriteDb) -> Response:
    report_id = await community_reports.report(db, member, form.community_id, form.reason)
    return await _response(db, member, report_id, reporter=True)


@router.put("/community/report/resolve", response_model=shapes.CommunityReportResponse, dependencies=[MESSAGE])
async def resolve_community_report(form: shapes.ResolveCommunityReport, member: Member, db: WriteDb) -> Response:
    await community_reports.resolve(db, member, form.report_id, form.resolved)
    return await _response(db, member, form.report_id)
