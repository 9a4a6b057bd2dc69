"""`agora serve` as an operator runs it: JSON log lines that carry a request id into the federation work it
queued, and metrics summed across `--workers 2`."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ENGINE, free_port
from tests.federation.peer import Peer
from tests.ops.scrape import requests_of, scrape, value
from tests.support.process import ServedInstance, served_on_one_database

FEDERATING = {
    "AGORA_FEDERATION_DEBUG": "1",
    "AGORA_FEDERATION_POLL_SECONDS": "0.1",
    "AGORA_FEDERATION_RETRY_MAX_SECONDS": "60",
    "AGORA_SCHEDULER_ENABLED": "0",
}


@pytest.fixture
def served(databases, tmp_path):
    with served_on_one_database(databases, tmp_path, free_port) as start:
        yield start


def json_lines(instance: ServedInstance) -> list[dict]:
    lines = [line for line in instance.log.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines if line.startswith("{")]


def wait_for(predicate, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while not (found := predicate()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return found


def test_json_logs_carry_the_request_id_into_the_delivery_it_queued(served):
    alpha = served(set_up=False, AGORA_LOG_FORMAT="json", AGORA_LOG_LEVEL="info", **FEDERATING)
    admin = alpha.api().register()  # the first account of a fresh instance is its admin
    community = admin.community()["community"]
    peer = Peer().start()
    try:
        actor = peer.person("remote")
        follow = peer.follow(actor["id"], community["actor_id"])
        assert peer.send(f"{alpha.base_url}/inbox", follow).status_code == 202
        wait_for(lambda: any(r["activity"]["type"] == "Accept" for r in peer.received))
        peer.status = 503  # the follower's server is down: the post's delivery fails, and says so in the log

        answer = httpx.post(
            f"{alpha.base_url}/api/v3/post",
            json={"name": "traced", "community_id": community["id"]},
            headers={"Authorization": f"Bearer {admin.token}", "X-Request-ID": "trace-post-42"},
            timeout=30,
        )
        assert answer.status_code == 200 and answer.headers["x-request-id"] == "trace-post-42"

        def delivery_lines():
            return [
                line
                for line in json_lines(alpha)
                if line.get("request_id") == "trace-post-42" and line["logger"] == "agora.federation"
            ]

        failed = wait_for(delivery_lines)
        assert "failed" in failed[0]["message"] and failed[0]["level"] == "INFO"
        access = [line for line in json_lines(alpha) if line["logger"] == "agora.access"]
        post_line = next(line for line in access if line.get("request_id") == "trace-post-42")
        assert (post_line["method"], post_line["route"], post_line["status"]) == ("POST", "/api/v3/post", 200)
        assert post_line["duration_ms"] > 0
        assert all(line.get("request_id") for line in access)  # every access line has one, made when not sent
        samples = scrape(alpha.base_url)
        assert value(samples, "agora_federation_queue_pending", instance=peer.domain) >= 1
        assert value(samples, "agora_federation_queue_lag_seconds", instance=peer.domain) > 0
        assert value(samples, "agora_federation_deliveries_total", outcome="failed") >= 1
        assert value(samples, "agora_inbox_processed_total", outcome="applied") >= 1
    finally:
        peer.stop()


@pytest.mark.skipif(ENGINE != "postgres", reason="several server processes need PostgreSQL")
def test_two_workers_report_the_sum_of_their_requests(served):
    instance = served(workers=2)
    before = requests_of(scrape(instance.base_url), "/api/v3/community/list")
    with httpx.Client(base_url=instance.base_url) as client:  # new connections, spread over both workers
        for _ in range(40):
            assert client.get("/api/v3/community/list", headers={"Connection": "close"}).status_code == 200
    totals = {requests_of(scrape(instance.base_url), "/api/v3/community/list") - before for _ in range(6)}
    assert totals == {40}  # whichever worker answers the scrape reports both workers' requests
    samples = scrape(instance.base_url)
    assert value(samples, "agora_db_pool_size", engine="writer") == 2 * 10  # both workers' pools, default size


def workers_of(instance: ServedInstance) -> list[int]:
    pid = instance.proc.pid
    return [
        int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()
    ]


def shared_share(pid: int) -> float:
    """The part of a process's resident memory that other processes map too (smaps_rollup, kB)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return (fields["Shared_Clean"] + fields["Shared_Dirty"]) / fields["Rss"]


@pytest.mark.skipif(ENGINE != "postgres", reason="several server processes need PostgreSQL")
def test_workers_share_the_app_a_dead_one_is_replaced_and_sigterm_stops_all(served):
    instance = served(workers=2)
    with httpx.Client(base_url=instance.base_url) as client:
        for _ in range(20):  # both workers have served, so what they share is what serving leaves shared
            assert client.get("/api/v3/post/list", headers={"Connection": "close"}).status_code == 200
    workers = workers_of(instance)
    assert len(workers) == 2
    assert all(shared_share(pid) > 0.5 for pid in workers)  # forked from one loaded app, not each its own

    os.kill(workers[0], signal.SIGKILL)
    replaced = wait_for(lambda: len(now := workers_of(instance)) == 2 and workers[0] not in now and now)
    assert workers[1] in replaced
    with httpx.Client(base_url=instance.base_url) as client:
        for _ in range(20):
            assert client.get("/api/v3/site", headers={"Connection": "close"}).status_code == 200

    instance.stop()
    assert instance.proc.returncode == 0
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in replaced))
