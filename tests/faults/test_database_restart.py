"""PostgreSQL restarted under load: clear, fast 503s while it is down; recovery without intervention after."""

import time

import httpx
import pytest

from tests.conftest import ENGINE, free_port
from tests.support.pgcluster import PrivateCluster
from tests.support.process import ServedInstance

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="restarts a private PostgreSQL cluster once per suite")


def test_requests_fail_fast_while_the_database_is_down_and_recover_after(tmp_path):
    cluster = PrivateCluster(free_port()).init()
    cluster.start()
    cluster.create_database("agora")
    server = ServedInstance(cluster.url("agora"), free_port(), tmp_path, AGORA_DB_POOL_SIZE="4").start()
    try:
        member = server.api().register()
        community_id = member.community()["community"]["id"]
        client = httpx.Client(base_url=f"{server.base_url}/api/v3", timeout=15)

        cluster.stop("immediate")
        for _ in range(5):
            started = time.monotonic()
            response = client.get("/post/list", params={"type_": "All"})
            elapsed = time.monotonic() - started
            assert response.status_code == 503, response.text
            assert response.json()["error"] == "service_unavailable"
            assert elapsed < 3, f"a request took {elapsed:.1f}s while the database was down"

        cluster.start()
        cluster.wait_ready()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if client.get("/post/list", params={"type_": "All"}).status_code == 200:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the server did not recover after the database came back")
        member.post(community_id, "written after the restart")
        titles = [p["post"]["name"] for p in client.get("/post/list", params={"type_": "All"}).json()["posts"]]
        assert "written after the restart" in titles
    finally:
        server.kill()
        cluster.stop("immediate")
        cluster.remove()
