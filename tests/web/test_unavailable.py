"""With the database gone, pages answer a readable 503 quickly (never a traceback), and work again after."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.conftest import ENGINE, free_port
from tests.support.pgcluster import PrivateCluster
from tests.support.process import ServedInstance

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="stops a private PostgreSQL cluster")


def test_pages_say_the_database_is_unreachable_and_recover(tmp_path):
    cluster = PrivateCluster(free_port()).init()
    cluster.start()
    cluster.create_database("agora")
    server = ServedInstance(cluster.url("agora"), free_port(), tmp_path, AGORA_DB_POOL_SIZE="4").start()
    try:
        member = server.api().register()
        community = member.community()["community"]
        browser = httpx.Client(base_url=server.base_url, timeout=15)
        assert browser.get(f"/c/{community['name']}").status_code == 200
        cluster.stop("immediate")
        time.sleep(6)  # past the site settings' cache, so the page has to reach the database
        for path in ("/", f"/c/{community['name']}", "/login"):
            started = time.monotonic()
            page = browser.get(path)
            assert page.status_code == 503, (path, page.text[:300])
            assert page.headers["content-type"].startswith("text/html")
            assert "The database is unreachable right now; try again shortly." in page.text
            assert "Traceback" not in page.text and time.monotonic() - started < 3
        cluster.start()
        cluster.wait_ready()
        deadline = time.monotonic() + 20
        while browser.get(f"/c/{community['name']}").status_code != 200:
            assert time.monotonic() < deadline, "pages did not recover after the database came back"
            time.sleep(0.2)
    finally:
        server.kill()
        cluster.stop("immediate")
        cluster.remove()
