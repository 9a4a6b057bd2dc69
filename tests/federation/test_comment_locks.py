"""Comment locks (Lemmy 1.0) going out: a Lock of the Note with the reason, an Undo of it to unlock, announced by
the community to its remote followers."""

from __future__ import annotations

import pytest

from tests.federation.conftest import wait_for
from tests.federation.test_outbound import local  # noqa: F401  (the fixture)
from tests.support.client import Api

pytestmark = pytest.mark.federation


def test_a_comment_lock_and_unlock_reach_followers_as_lock_and_undo(local):  # noqa: F811
    server, admin, community, follower = local
    peer, _actor = follower()
    writer = Api(server.base_url).register()
    post = writer.post(community["id"])["post"]
    comment = writer.comment(post["id"])["comment"]
    v4 = Api(server.base_url, admin.api.token, "/api/v4")
    v4.post("/comment/lock", {"comment_id": comment["id"], "locked": True, "reason": "cool down"})
    v4.post("/comment/lock", {"comment_id": comment["id"], "locked": False, "reason": "calm again"})

    def locks() -> list[dict]:
        announced = [r["activity"]["object"] for r in peer.received if r["activity"]["type"] == "Announce"]
        return [a for a in announced if a["type"] == "Lock" or (a["type"] == "Undo" and a["object"]["type"] == "Lock")]

    wait_for(lambda: len(locks()) == 2, message="the lock and its undo at the peer")
    lock, undo = locks()
    assert lock["type"] == "Lock" and lock["object"] == comment["ap_id"] and lock["summary"] == "cool down"
    assert lock["audience"] == community["actor_id"]
    assert undo["type"] == "Undo" and undo["object"]["object"] == comment["ap_id"] and undo["summary"] == "calm again"
