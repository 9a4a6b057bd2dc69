"""A write on one host of an instance shows on the others within a second when they share a Redis, though their
caches would keep the old answer for a minute; without Redis, the caches' own seconds bound it."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.conftest import free_port
from tests.support.process import ServedInstance, served_on_one_database

REDIS = "redis://127.0.0.1:6379/0"
LONG_CACHES = {"AGORA_SETTINGS_CACHE_SECONDS": "60", "AGORA_ANONYMOUS_CACHE_SECONDS": "60"}


@pytest.fixture
def cluster(databases, tmp_path):
    with served_on_one_database(databases, tmp_path, free_port) as start:
        yield start


def _pair(cluster, redis: str | None) -> tuple[ServedInstance, ServedInstance]:
    shared = {**LONG_CACHES, "AGORA_SCHEDULER_ENABLED": "0", **({"AGORA_REDIS_URL": redis} if redis else {})}
    first = cluster(**shared)
    return first, cluster(**shared, AGORA_HOSTNAME=f"127.0.0.1:{first.port}")


def _site_name(host: ServedInstance) -> str:
    return httpx.get(f"{host.base_url}/api/v3/site").json()["site_view"]["site"]["name"]


def _rename_on(host: ServedInstance, other: ServedInstance, name: str) -> float:
    """Warm the other host's caches, rename the site on `host`; answers when the write was acknowledged."""
    assert _site_name(other) != name
    host.api().login("operator").api.put("/site", {"name": name})
    return time.monotonic()


def test_a_write_on_one_host_shows_on_another_within_a_second(cluster):
    first, second = _pair(cluster, REDIS)
    written = _rename_on(first, second, "Renamed on one")
    while _site_name(second) != "Renamed on one":
        assert time.monotonic() - written < 1.0, "the other host still answers from its cache"
        time.sleep(0.05)


def test_without_redis_another_host_keeps_its_cache(cluster):
    first, second = _pair(cluster, None)
    _rename_on(first, second, "Renamed on one")
    time.sleep(1.5)
    assert _site_name(second) != "Renamed on one"
