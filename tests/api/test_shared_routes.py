"""The routes both faces share (api.shared_routes): each is served under /api/v3 and under /api/v4, and the two
faces' OpenAPI documents describe it alike, with operation ids of their own."""

from __future__ import annotations

import importlib

import pytest
from fastapi.routing import APIRoute

from agora.api import shared_routes
from agora.app import create_app
from agora.config import Settings

SHARED = [
    (method.lower(), route.path)
    for name in shared_routes.__all__
    for route in importlib.import_module(f"agora.api.shared_routes.{name}").router.routes
    if isinstance(route, APIRoute)
    for method in route.methods
]


@pytest.fixture(scope="module")
def document() -> dict:
    return create_app(Settings(database_url="sqlite+aiosqlite:///unused.db")).openapi()


def test_shared_routes_are_declared():
    assert ("post", "/admin/purge/post") in SHARED
    assert ("put", "/community/hide") in SHARED


@pytest.mark.parametrize(("method", "path"), SHARED)
def test_each_face_serves_a_shared_route_alike(document, method, path):
    v3 = document["paths"][f"/api/v3{path}"][method]
    v4 = document["paths"][f"/api/v4{path}"][method]
    assert v3.get("requestBody") == v4.get("requestBody")
    assert v3.get("parameters") == v4.get("parameters")
    assert v3["responses"]["200"] == v4["responses"]["200"]
    assert v3["operationId"] != v4["operationId"]
    assert len(v3["tags"]) == len(v4["tags"]) == 1
    assert v4["tags"][0].startswith("v4: ") and not v3["tags"][0].startswith("v4: ")


def test_operation_ids_stay_unique(document):
    ids = [op["operationId"] for operations in document["paths"].values() for op in operations.values()]
    assert len(ids) == len(set(ids))
