"""GET /metrics: Prometheus text with requests by route template, the pools and the queues; closed to outsiders."""

from __future__ import annotations

import httpx

from tests.ops.scrape import requests_of, scrape, value
from tests.support.admin import make_admin


def test_requests_are_counted_by_route_template_never_by_raw_path(server):
    before = scrape(server.base_url)
    for _ in range(3):
        assert httpx.get(f"{server.base_url}/api/v3/site").status_code == 200  # the hot lane
    assert httpx.get(f"{server.base_url}/api/v3/community/list").status_code == 200  # FastAPI's lane
    for post_id in (12345, 67890):
        httpx.get(f"{server.base_url}/api/v3/post", params={"id": post_id})  # hot lane, refused: 4xx
        httpx.get(f"{server.base_url}/post/{post_id}")  # a web page with a path parameter
    httpx.get(f"{server.base_url}/no/such/{'x' * 40}")
    after = scrape(server.base_url)

    assert requests_of(after, "/api/v3/site") - requests_of(before, "/api/v3/site") == 3
    assert requests_of(after, "/api/v3/community/list") - requests_of(before, "/api/v3/community/list") == 1
    assert requests_of(after, "/api/v3/post", status="4xx") - requests_of(before, "/api/v3/post", status="4xx") == 2
    page = sum(requests_of(after, "/post/{post_id}", status=s) for s in ("2xx", "3xx", "4xx"))
    assert page - sum(requests_of(before, "/post/{post_id}", status=s) for s in ("2xx", "3xx", "4xx")) == 2
    assert requests_of(after, "other", status="4xx") - requests_of(before, "other", status="4xx") >= 1
    routes = {dict(labels).get("route") for name, labels in after if name == "agora_http_requests_total"}
    assert not any(route and ("12345" in route or "xxxx" in route or "?" in route) for route in routes)
    count = value(after, "agora_http_request_duration_seconds_count", route="/api/v3/site", method="GET")
    assert count is not None and count >= 3


def test_the_pool_and_the_queues_are_reported(server):
    member = make_admin(server)
    member.community()
    samples = scrape(server.base_url)
    engines = ("reader", "writer") if server.settings.is_sqlite else ("writer",)
    for engine in engines:
        size = value(samples, "agora_db_pool_size", engine=engine)
        assert size is not None and size >= 1
        assert value(samples, "agora_db_pool_checked_out", engine=engine) is not None
    assert value(samples, "agora_inbox_backlog") == 0
    assert value(samples, "agora_database_up") == 1


def test_metrics_are_refused_to_other_hosts_without_the_token(server_factory):
    """Through a proxy on this host (uvicorn trusts its X-Forwarded-For), an outsider is not loopback."""
    outsider = {"X-Forwarded-For": "203.0.113.9"}
    closed = server_factory()
    assert httpx.get(f"{closed.base_url}/metrics", headers=outsider).status_code == 404
    assert httpx.get(f"{closed.base_url}/metrics").status_code == 200  # loopback itself

    guarded = server_factory(metrics_token="a-long-metrics-token")
    refused = httpx.get(f"{guarded.base_url}/metrics", headers=outsider)
    assert refused.status_code == 403 and refused.json()["error"] == "metrics_token_required"
    wrong = {**outsider, "Authorization": "Bearer not-the-token"}
    assert httpx.get(f"{guarded.base_url}/metrics", headers=wrong).status_code == 403
    samples = scrape(guarded.base_url, **outsider, Authorization="Bearer a-long-metrics-token")
    assert any(name == "agora_http_requests_total" for name, _ in samples)


def test_a_request_id_is_returned_kept_when_sane_and_made_otherwise(server):
    kept = httpx.get(f"{server.base_url}/api/v3/site", headers={"X-Request-ID": "proxy-abc.123"})
    assert kept.headers["x-request-id"] == "proxy-abc.123"
    made = httpx.get(f"{server.base_url}/api/v3/site", headers={"X-Request-ID": "bad id\twith spaces" + "x" * 80})
    assert made.headers["x-request-id"] not in ("", "bad id\twith spaces" + "x" * 80)
    assert len(made.headers["x-request-id"]) == 16
    other = httpx.get(f"{server.base_url}/api/v3/site")
    assert other.headers["x-request-id"] != made.headers["x-request-id"]
