"""Community reports (Lemmy 1.0): CreateCommunityReport, ResolveCommunityReport, CommunityReportView."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agora.api.v4.shapes.base import Form, Id, Shape, present
from agora.api.v4.shapes.objects import community_json, person_json
from agora.queries.community_reports import CommunityReportItem

_COMMUNITY_REPORT = (
    ("id", "id"),
    ("creator_id", "creator_id"),
    ("community_id", "community_id"),
    ("original_community_name", "original_community_name"),
    ("original_community_title", "original_community_title"),
    ("original_community_sidebar", "original_community_description"),
    ("original_community_icon", "original_community_icon"),
    ("original_community_banner", "original_community_banner"),
    ("reason", "reason"),
    ("resolved", "resolved"),
    ("resolver_id", "resolver_id"),
    ("published_at", "published"),
    ("updated_at", "updated"),
)


class CreateCommunityReport(Form):
    community_id: Id
    reason: str = Field(max_length=10_000)


class ResolveCommunityReport(Form):
    report_id: Id
    resolved: bool
    conclusion: str | None = Field(None, max_length=10_000)


class CommunityReportResponse(Shape):
    community_report_view: dict[str, Any]


def community_report_view_json(item: CommunityReportItem) -> dict[str, Any]:
    creator = item.creator
    out: dict[str, Any] = {
        "community_report": present(item.report, _COMMUNITY_REPORT),
        "community": community_json(item.community),
        "creator": person_json(creator),
        "creator_is_admin": False,
        "creator_is_moderator": False,
        "creator_banned": bool(creator.get("banned")),
        "creator_banned_from_community": False,
    }
    if item.resolver is not None:
        out["resolver"] = person_json(item.resolver)
    return out
