"""/healthz says the process runs; /readyz says whether it can serve, and which check failed when it cannot."""

from __future__ import annotations

import httpx


def test_healthz_and_readyz_answer_ok_on_a_working_instance(server):
    health = httpx.get(f"{server.base_url}/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = httpx.get(f"{server.base_url}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_is_503_naming_the_database_when_it_is_gone(server, databases):
    databases.drop(server.settings.database_url)
    ready = httpx.get(f"{server.base_url}/readyz", timeout=15)
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] != "ok"
    assert httpx.get(f"{server.base_url}/healthz").status_code == 200  # alive all the same: no I/O


def test_health_answers_on_a_private_instance_too(server):
    from tests.support.admin import make_admin

    admin = make_admin(server)
    admin.api.put("/site", {"private_instance": True, "federation_enabled": False})
    assert httpx.get(f"{server.base_url}/api/v3/post/list").status_code == 401
    assert httpx.get(f"{server.base_url}/healthz").status_code == 200
    assert httpx.get(f"{server.base_url}/readyz").status_code == 200
