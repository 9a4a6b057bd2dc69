"""A community made local-only after it federated: what it sent while public can no longer be fetched by id."""

from __future__ import annotations

import uuid

import httpx
import pytest

from agora.federation import signatures
from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation
AP = "application/activity+json"


def test_activities_of_a_community_made_local_only_are_no_longer_served(server_factory):
    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("turning")["community"]
    peer = Peer().start()
    try:
        actor = peer.person("follower")["id"]
        follow = {
            "id": peer.url(f"/activities/follow/{uuid.uuid4()}"),
            "type": "Follow",
            "actor": actor,
            "object": community["actor_id"],
        }
        assert peer.send(f"{server.base_url}/inbox", follow).status_code == 202
        settle(server)
        admin.post(community["id"], "said while public")
        announce = wait_for(
            lambda: next((r["activity"] for r in peer.received if r["activity"]["type"] == "Announce"), None),
            message="the post's Announce",
        )

        def fetch(url: str) -> httpx.Response:
            signed = signatures.sign_headers("GET", url, None, f"{actor}#main-key", peer.private_key)
            return httpx.get(url, headers={"Accept": AP, **signed}, timeout=30)

        assert fetch(announce["id"]).status_code == 200
        admin.api.put("/community", {"community_id": community["id"], "visibility": "LocalOnly"})
        assert fetch(announce["id"]).status_code == 404
        assert fetch(community["actor_id"]).status_code == 404
        assert fetch(f"{community['actor_id']}/outbox").status_code == 404
    finally:
        peer.stop()
