"""A server SIGKILLed in the middle of a fan-out batch restarts and delivers the rest: every follower instance ends
with every post, in order, with nothing skipped; only deliveries whose positions were not yet saved (the last
flush interval before the kill) may come a second time, and then as a resumption from the saved position."""

from __future__ import annotations

import pytest

from tests.federation.conftest import wait_for
from tests.federation.peer import Peer
from tests.federation.test_fanout import created
from tests.support.client import Api

pytestmark = pytest.mark.federation
FEDERATING = {
    "AGORA_FEDERATION_DEBUG": "1",
    "AGORA_FEDERATION_POLL_SECONDS": "0.1",
    "AGORA_FEDERATION_RETRY_MAX_SECONDS": "1",
}


def test_a_server_killed_mid_batch_delivers_the_rest_in_order_after_restart(served):
    server = served(**FEDERATING)
    admin = Api(server.base_url).login("operator")
    community = admin.community("main")["community"]
    farm = [Peer().start() for _ in range(3)]
    try:
        for peer in farm:
            actor = peer.person("remote")
            follow = peer.follow(actor["id"], community["actor_id"])
            assert peer.send(f"{server.base_url}/inbox", follow).status_code == 202
        wait_for(lambda: all(len(p.received) == 1 for p in farm), message="the Accepts")
        for peer in farm:
            peer.received.clear()
            peer.status = 503  # failing while the posts are written: the batch then goes as one
        names = [f"batch {n}" for n in range(40)]
        for name in names:
            admin.post(community["id"], name=name)
        for peer in farm:
            peer.delay = 0.05  # the batch takes each instance two seconds or more
            peer.status = 202
        wait_for(lambda: all(len(created(p)) >= 12 for p in farm), message="the batch under way")
        server.kill()
        reached = [len(created(p)) for p in farm]
        assert all(n < len(names) for n in reached), reached  # killed mid-batch
        server.start()
        wait_for(lambda: all(set(created(p)) == set(names) for p in farm), timeout=60, message="the rest")
        for peer in farm:
            got = created(peer)
            # Up to the kill, in order; after it, a resumption from a saved position at or before where it stopped.
            resumed = next((i for i in range(1, len(got)) if names.index(got[i]) != names.index(got[i - 1]) + 1), None)
            if resumed is None:
                assert got == names
            else:
                assert got[:resumed] == names[:resumed]
                assert got[resumed:] == names[names.index(got[resumed]) :]
                assert len(got) - len(names) <= 5, got  # repeats: the unsaved tail only, not the batch
    finally:
        for peer in farm:
            peer.stop()
