"""Federation in the API: resolve_object (fetch a remote post, comment, person or community by URL or handle),
federated_instances (Lemmy's list with each instance's delivery state), and Agora's admin view of federation."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field
from starlette.responses import Response

from agora.api.v3.shapes.base import Form, Shape, Timestamp, pick
from agora.api.v3.shapes.site import INSTANCE_FIELDS, Instance
from agora.api.v3.shapes.views import (
    CommentView,
    CommunityView,
    PersonView,
    PostView,
    comment_view_json,
    community_view_json,
    person_view_json,
    post_view_json,
)
from agora.core.clock import now
from agora.deps import MESSAGE, Admin, Here, ReadDb, Reader, State
from agora.errors import AgoraError, Code
from agora.federation import fetch
from agora.queries import activities as activity_queries
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import deliveries as delivery_queries
from agora.queries import instances as instance_queries
from agora.queries import persons as person_queries
from agora.queries import posts as post_queries
from agora.responses import json_response

router = APIRouter(tags=["federation"])


class ResolveObject(Form):
    q: str = Field(max_length=2000)


class ResolveObjectResponse(Shape):
    comment: CommentView | None = None
    post: PostView | None = None
    community: CommunityView | None = None
    person: PersonView | None = None


@router.get("/resolve_object", response_model=ResolveObjectResponse, dependencies=[MESSAGE])
async def resolve_object(params: Annotated[ResolveObject, Query()], viewer: Reader, state: State) -> Response:
    """A URL or `!community@host` / `@person@host`; only logged-in callers make us fetch what we do not have."""
    kind, found = await fetch.resolve(state, params.q, fetch=viewer is not None)
    async with state.db.read() as db:
        if kind == "post":
            post = await post_queries.visible_post_view(db, viewer, found)
            body = {"post": post_view_json(post)} if post else None
        elif kind == "comment":
            comment = await comment_queries.get_comment_view(db, viewer, found)
            body = {"comment": comment_view_json(comment)} if comment else None
        elif kind == "community":
            community = await community_queries.get_view(db, viewer, found)
            body = {"community": community_view_json(community)} if community else None
        else:
            person = await person_queries.get_view(db, found)
            body = {"person": person_view_json(person)} if person else None
    if body is None:
        raise AgoraError(Code.couldnt_find_object)
    return json_response(body)


class ReadableFederationState(Shape):
    instance_id: int
    last_successful_id: int | None = None
    last_successful_published_time: Timestamp | None = None
    fail_count: int
    last_retry: Timestamp | None = None
    next_retry: Timestamp | None = None


class InstanceWithFederationState(Instance):
    federation_state: ReadableFederationState | None = None


class FederatedInstances(Shape):
    linked: list[InstanceWithFederationState]
    allowed: list[InstanceWithFederationState]
    blocked: list[InstanceWithFederationState]


class GetFederatedInstancesResponse(Shape):
    federated_instances: FederatedInstances | None = None


def _federation_state(row: dict) -> dict | None:
    if row.get("instance_id") is None:
        return None
    return {
        "instance_id": row["instance_id"],
        "last_successful_id": row["last_successful_seq"],
        "last_successful_published_time": row["last_successful_published"],
        "fail_count": row["fail_count"],
        "last_retry": row["last_retry"],
        "next_retry": row["next_retry"],
    }


@router.get("/federated_instances", response_model=GetFederatedInstancesResponse, dependencies=[MESSAGE])
async def federated_instances(db: ReadDb, viewer: Reader, here: Here) -> Response:
    """Like every read, for members only on a private instance (`viewer` is for that check)."""
    rows = await instance_queries.with_delivery_state(db, here.instance_id)
    listed: dict[str, list[dict[str, Any]]] = {"linked": [], "allowed": [], "blocked": []}
    for row in rows:
        instance = pick(row, INSTANCE_FIELDS) | {"federation_state": _federation_state(row)}
        instance = {k: v for k, v in instance.items() if v is not None}
        if row["rule"] == "blocked":
            listed["blocked"].append(instance)
        else:
            listed["linked"].append(instance)
            if row["rule"] == "allowed":
                listed["allowed"].append(instance)
    return json_response({"federated_instances": listed})


class InstanceFederation(Shape):
    domain: str
    software: str | None = None
    rule: str | None = Field(None, description="allowed or blocked by the site's lists")
    last_success: Timestamp | None = None
    last_error: str | None = None
    fail_count: int = 0
    failing_since: Timestamp | None = None
    next_retry: Timestamp | None = None
    dead: bool = Field(description="failing for longer than AGORA_FEDERATION_DEAD_AFTER_DAYS (tried once a day)")
    queue_length: int = Field(description="activities after this instance's position (some may not be for it)")
    lag_seconds: float | None = Field(None, description="age of the oldest activity it has not had")


class FederationState(Shape):
    instances: list[InstanceFederation]
    received: dict[str, int] = Field(description="received activities by state: queued, applied, skipped, failed")
    failures: list[dict] = Field(description="the latest received activities that failed, with their reason")


@router.get("/agora/federation", response_model=FederationState, dependencies=[MESSAGE])
async def federation_state(admin: Admin, db: ReadDb, here: Here, state: State) -> Response:
    """Admins: how delivery to each instance stands, and what we failed to apply."""
    at = now()
    dead_after = timedelta(days=state.settings.federation_dead_after_days)
    pending = await delivery_queries.pending_counts(db)
    instances = []
    for row in await instance_queries.with_delivery_state(db, here.instance_id):
        count, oldest = pending.get(row["id"], (0, None))
        failing_since = row.get("failing_since")
        instances.append(
            {
                "domain": row["domain"],
                "software": row["software"],
                "rule": row["rule"],
                "last_success": row.get("last_success"),
                "last_error": row.get("last_error"),
                "fail_count": row.get("fail_count") or 0,
                "failing_since": failing_since,
                "next_retry": row.get("next_retry"),
                "dead": bool(failing_since and at - failing_since > dead_after),
                "queue_length": count,
                "lag_seconds": (at - oldest).total_seconds() if oldest else None,
            }
        )
    failures = await activity_queries.received(db, state="failed", limit=50)
    body = {"instances": instances, "received": await activity_queries.received_counts(db), "failures": failures}
    return json_response(body)
