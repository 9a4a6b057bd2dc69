"""Anonymous reads go to a streaming replica; a member reads their own writes at once from the primary; a replica
that lags past the bound or stops is skipped and the primary answers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import ENGINE, free_port
from tests.support.client import Api, Member
from tests.support.pgcluster import PrivateCluster, primary_with_standby
from tests.support.process import ServedInstance

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="replicas are PostgreSQL's (a private primary + standby)")


@dataclass
class Replicated:
    primary: PrivateCluster
    standby: PrivateCluster
    patient: ServedInstance  # takes a replica up to 300 s behind
    strict: ServedInstance  # skips one over 1 s behind
    member: Member
    post_id: int


@pytest.fixture(scope="module")
def replicated(tmp_path_factory) -> Iterator[Replicated]:
    servers: list[ServedInstance] = []
    with primary_with_standby("agora") as (primary, standby):
        try:
            workdir = tmp_path_factory.mktemp("replicas")
            common = {"AGORA_DATABASE_REPLICA_URLS": standby.url("agora"), "AGORA_ANONYMOUS_CACHE_SECONDS": "0"}
            patient = ServedInstance(
                primary.url("agora"), free_port(), workdir, **common, AGORA_DATABASE_REPLICA_MAX_LAG_SECONDS="300"
            ).start()
            servers.append(patient)
            strict = ServedInstance(
                primary.url("agora"),
                free_port(),
                workdir,
                **common,
                AGORA_DATABASE_REPLICA_MAX_LAG_SECONDS="1",
                AGORA_SCHEDULER_ENABLED="0",
                AGORA_HOSTNAME=f"127.0.0.1:{patient.port}",
            )
            servers.append(strict.start())
            member = patient.api().register()
            community_id = member.community()["community"]["id"]
            post_id = member.post(community_id, "first title")["post"]["id"]
            yield Replicated(primary, standby, patient, strict, member, post_id)
        finally:
            for server in servers:
                server.kill()


def _title(api: Api, post_id: int) -> str:
    return api.get("/post", id=post_id)["post_view"]["post"]["name"]


def _eventually(api: Api, post_id: int, title: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while _title(api, post_id) != title:
        assert time.monotonic() < deadline, f"{api.base_url} never showed {title!r}"
        time.sleep(0.2)


def _rename(setup: Replicated, title: str) -> None:
    setup.member.api.put("/post", {"post_id": setup.post_id, "name": title})


def test_anonymous_reads_come_from_the_replica_and_the_writer_sees_their_write_at_once(replicated):
    anonymous = replicated.patient.api()
    _eventually(anonymous, replicated.post_id, "first title")
    replicated.standby.sql("SELECT pg_wal_replay_pause()")
    try:
        _rename(replicated, "second title")
        assert _title(replicated.member.api, replicated.post_id) == "second title"
        for _ in range(3):
            assert _title(anonymous, replicated.post_id) == "first title"
            listed = anonymous.get("/post/list", type_="All")["posts"]
            assert [p["post"]["name"] for p in listed if p["post"]["id"] == replicated.post_id] == ["first title"]
            page = httpx.get(f"{replicated.patient.base_url}/post/{replicated.post_id}", timeout=15)
            assert page.status_code == 200
            assert "first title" in page.text
            assert "second title" not in page.text
    finally:
        replicated.standby.sql("SELECT pg_wal_replay_resume()")
    _eventually(anonymous, replicated.post_id, "second title")


def test_a_replica_further_behind_than_the_bound_is_skipped(replicated):
    patient, strict = replicated.patient.api(), replicated.strict.api()
    _eventually(strict, replicated.post_id, "second title")
    replicated.standby.sql("SELECT pg_wal_replay_pause()")
    try:
        _rename(replicated, "third title")
        time.sleep(2.5)  # past the strict server's 1-s bound, and its next look at the lag
        _title(strict, replicated.post_id)  # the look that finds it behind
        assert _title(strict, replicated.post_id) == "third title"
        assert _title(patient, replicated.post_id) == "second title"
    finally:
        replicated.standby.sql("SELECT pg_wal_replay_resume()")
    _eventually(strict, replicated.post_id, "third title")


def test_reads_go_to_the_primary_when_the_replica_stops(replicated):
    anonymous = replicated.patient.api()
    _eventually(anonymous, replicated.post_id, "third title")
    replicated.standby.stop("immediate")
    _rename(replicated, "fourth title")
    for _ in range(5):
        started = time.monotonic()
        assert _title(anonymous, replicated.post_id) == "fourth title"
        assert anonymous.get("/post/list", type_="All")["posts"]
        assert time.monotonic() - started < 5
    for server in (replicated.patient, replicated.strict):
        assert "Traceback" not in server.log.read_text()
