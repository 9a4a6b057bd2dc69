"""Two `agora serve` processes of one instance (one database, one Redis) count the site's rate limits together:
what one host let through is spent on the other, and each answers ready only while Redis does."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import free_port
from tests.support.process import ServedInstance, served_on_one_database

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def cluster(databases, tmp_path):
    with served_on_one_database(databases, tmp_path, free_port) as start:
        yield start


def _host(redis: str | None, hostname: str | None = None) -> dict[str, str]:
    env = {"AGORA_RATE_LIMITS_ENABLED": "1", "AGORA_SETTINGS_CACHE_SECONDS": "0", "AGORA_SCHEDULER_ENABLED": "0"}
    if redis:
        env["AGORA_REDIS_URL"] = redis
    if hostname:
        env["AGORA_HOSTNAME"] = hostname
    return env


def _posts_allowed(one: ServedInstance, two: ServedInstance) -> list[int]:
    operator = one.api().login("operator")
    operator.api.put("/site", {"rate_limit_post": 2, "rate_limit_post_per_second": 3600})
    community = operator.community()["community"]["id"]
    member = one.api().register()
    answers = []
    for host in (one, two, one, two):
        on_host = host.api(member.api.token)
        answers.append(on_host.request("POST", "/post", {"name": "A post", "community_id": community}).status_code)
    return answers


def test_hosts_sharing_redis_spend_one_rate_limit(cluster):
    first = cluster(**_host(REDIS))
    second = cluster(**_host(REDIS, f"127.0.0.1:{first.port}"))
    assert _posts_allowed(first, second) == [200, 200, 429, 429]
    ready = httpx.get(f"{second.base_url}/readyz").json()
    assert ready["checks"]["redis"] == "ok"


def test_without_redis_each_host_counts_its_own(cluster):
    first = cluster(**_host(None))
    second = cluster(**_host(None, f"127.0.0.1:{first.port}"))
    assert _posts_allowed(first, second) == [200, 200, 200, 200]
    assert "redis" not in httpx.get(f"{second.base_url}/readyz").json()["checks"]


def test_a_host_whose_redis_is_gone_is_not_ready_but_still_serves(cluster):
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    host = cluster(**_host(unreachable))
    assert httpx.get(f"{host.base_url}/readyz").status_code == 503
    member = host.api().register()
    assert member.api.get("/site")["my_user"]["local_user_view"]["person"]["name"] == member.name
