"""The same new object arriving twice at once (the inbox worker applying its Create while a member's
resolve_object fetches it) is stored once, and neither side fails."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.federation.conftest import FAST, settle
from tests.federation.peer import Peer
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ROUNDS = 12


@pytest.fixture
def peer():
    started = Peer().start()
    yield started
    started.stop()


def test_two_deliveries_of_one_new_post_at_once_store_it_once(server_factory, peer):
    server = server_factory(**FAST)
    admin = make_admin(server)
    group = peer.group("busy")
    author = peer.person("author")["id"]
    community_id = admin.api.get("/resolve_object", q=group["id"])["community"]["community"]["id"]
    follow = {
        "id": peer.url(f"/activities/follow/{uuid.uuid4()}"),
        "type": "Follow",
        "actor": f"{server.base_url}/u/{admin.name}",
        "object": group["id"],
    }
    admin.api.post("/community/follow", {"community_id": community_id, "follow": True})
    accept = {
        "id": peer.url(f"/activities/accept/{uuid.uuid4()}"),
        "type": "Accept",
        "actor": group["id"],
        "object": follow,
    }
    peer.send(f"{server.base_url}/inbox", accept)
    settle(server)

    def both_at_once(n: int) -> tuple[int, int, str]:
        page = peer.add(
            {
                "id": peer.url(f"/post/{n}"),
                "type": "Page",
                "attributedTo": author,
                "name": f"post {n}",
                "to": [group["id"], PUBLIC],
                "audience": group["id"],
            }
        )
        create = {
            "id": peer.url(f"/activities/create/{uuid.uuid4()}"),
            "type": "Create",
            "actor": author,
            "object": page,
            "to": [PUBLIC],
            "cc": [group["id"]],
        }
        with ThreadPoolExecutor(2) as pool:
            pushed = pool.submit(peer.send, f"{server.base_url}/inbox", create)
            resolved = pool.submit(admin.api.request, "GET", "/resolve_object", q=page["id"])
            return pushed.result().status_code, resolved.result().status_code, create["id"]

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(both_at_once, range(ROUNDS)))
    assert [(pushed, resolved) for pushed, resolved, _ in outcomes] == [(202, 200)] * ROUNDS
    states = settle(server)
    assert {states[activity] for _, _, activity in outcomes} == {("applied", None)}
    listed = admin.api.get("/post/list", community_id=community_id, sort="New", limit=50)["posts"]
    assert sorted(p["post"]["name"] for p in listed) == sorted(f"post {n}" for n in range(ROUNDS))
