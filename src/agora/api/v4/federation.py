"""/federated_instances: the instances this one knows, with each one's delivery state and the site's rule."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes.base import Form, Limit
from agora.api.v4.shapes.site import instance_json
from agora.deps import MESSAGE, Here, ReadDb, Reader
from agora.queries import instances as instance_queries
from agora.responses import json_response

router = APIRouter(tags=["v4: federation"])


class GetFederatedInstances(Form):
    domain_filter: str | None = Field(None, max_length=255)
    kind: Literal["all", "linked", "allowed", "blocked"] = "all"
    page_cursor: str | None = Field(None, max_length=40)
    limit: Limit | None = None


def _view(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"instance": instance_json(row)}
    if row.get("instance_id") is not None:
        state = {
            "instance_id": row["instance_id"],
            "last_successful_id": row["last_successful_seq"],
            "last_successful_published_time_at": row["last_successful_published"],
            "fail_count": row["fail_count"],
            "last_retry_at": row["last_retry"],
        }
        out["queue_state"] = {k: v for k, v in state.items() if v is not None}
    if row["rule"] is not None:
        terms = {"published_at": row["rule_published"], "updated_at": row["rule_updated"]}
        if row["rule"] == "blocked":
            terms["expires_at"] = row["rule_expires"]
        out[row["rule"]] = {"instance_id": row["id"]} | {k: v for k, v in terms.items() if v is not None}
    return out


@router.get("/federated_instances", dependencies=[MESSAGE])
async def federated_instances(
    params: Annotated[GetFederatedInstances, Query()], db: ReadDb, viewer: Reader, here: Here
) -> Response:
    """Like every read, for members only on a private instance (`viewer` is for that check)."""
    limit = paging.limit_of(params.limit, default=50)
    page = paging.offset_page(params.page_cursor)
    rows = await instance_queries.with_delivery_state(db, here.instance_id)
    wanted = {"all": None, "linked": (None, "allowed"), "allowed": ("allowed",), "blocked": ("blocked",)}[params.kind]
    chosen = [
        row
        for row in rows
        if (wanted is None or row["rule"] in wanted)
        and (not params.domain_filter or params.domain_filter.lower() in row["domain"].lower())
    ]
    items = [_view(row) for row in chosen[(page - 1) * limit : page * limit]]
    return json_response(paging.offset_paged(items, page, limit))
