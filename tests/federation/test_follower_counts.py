"""Followers from other servers come and go by signed activities (Follow, Undo Follow, Delete of the account) and
by a moderator's ban; the community's counts follow each, and equal `agora admin recount`'s."""

from __future__ import annotations

import uuid

import pytest

from tests.federation.conftest import FAST, settle
from tests.federation.peer import Peer
from tests.support.recount import assert_counts_agree

pytestmark = pytest.mark.federation


def _activity(peer: Peer, kind: str, actor: str, target, **extra) -> dict:
    return {
        "id": peer.url(f"/activities/{kind.lower()}/{uuid.uuid4()}"),
        "type": kind,
        "actor": actor,
        "object": target,
        **extra,
    }


def _subscribers(api, community_id: int) -> tuple[int, int]:
    counts = api.get("/community", id=community_id)["community_view"]["counts"]
    return counts["subscribers"], counts["subscribers_local"]


def test_remote_followers_leave_the_counts_by_undo_ban_and_deletion(server_factory):
    server = server_factory(**FAST)
    peer = Peer().start()
    try:
        owner = server.api().register()
        community = owner.community()["community"]
        actors = {name: peer.person(name)["id"] for name in ("alice", "bob", "carol")}
        follows = {name: _activity(peer, "Follow", actor, community["actor_id"]) for name, actor in actors.items()}
        for follow in follows.values():
            assert peer.send(f"{server.base_url}/inbox", follow).status_code == 202
        assert all(state == ("applied", None) for state in settle(server).values())
        assert _subscribers(owner.api, community["id"]) == (4, 1)  # the owner is the one local follower

        undo = _activity(peer, "Undo", actors["alice"], follows["alice"])
        assert peer.send(f"{server.base_url}/inbox", undo).status_code == 202
        assert settle(server)[undo["id"]] == ("applied", None)
        assert _subscribers(owner.api, community["id"]) == (3, 1)

        bob = owner.api.get("/resolve_object", q=actors["bob"])["person"]["person"]["id"]
        owner.api.post("/community/ban_user", {"community_id": community["id"], "person_id": bob, "ban": True})
        assert _subscribers(owner.api, community["id"]) == (2, 1)

        gone = _activity(
            peer, "Delete", actors["carol"], actors["carol"], to=["https://www.w3.org/ns/activitystreams#Public"]
        )
        assert peer.send(f"{server.base_url}/inbox", gone).status_code == 202
        assert settle(server)[gone["id"]] == ("applied", None)
        assert _subscribers(owner.api, community["id"]) == (1, 1)
        assert_counts_agree(server)
    finally:
        peer.stop()
