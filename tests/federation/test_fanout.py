"""Batched delivery (issue 32): many instances served at once, each in order and once; a delivery manager stopped
mid-batch loses and repeats nothing when another starts; a dead and a slow instance cost a healthy one nothing.
(A process killed mid-batch: tests/faults/test_delivery_kill.py.)"""

from __future__ import annotations

import time
from typing import Any

import pytest

from agora.federation.inbox import InboxWorker
from agora.federation.queue import DeliveryManager
from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation


def created(peer: Peer) -> list[str]:
    """Names of the posts whose Create reached `peer` (in the community's Announce), in arrival order."""
    names = []
    for received in list(peer.received):
        activity = received["activity"]
        inner = activity.get("object") if activity.get("type") == "Announce" else None
        if isinstance(inner, dict) and inner.get("type") == "Create" and inner["object"].get("type") == "Page":
            names.append(inner["object"]["name"])
    return names


class Fan:
    """A server whose delivery managers the test starts and stops, a community, and its followers' instances."""

    def __init__(self, server: Any, admin: Any, community: dict) -> None:
        self.server, self.admin, self.community = server, admin, community
        self.managers: list[DeliveryManager] = []
        self.peers: list[Peer] = []

    def start(self) -> DeliveryManager:
        async def started() -> DeliveryManager:
            manager = DeliveryManager(self.server.state)
            manager.start()
            return manager

        self.managers.append(self.server.run(started))
        return self.managers[-1]

    def stop(self, manager: DeliveryManager) -> None:
        self.server.run(manager.stop)
        self.managers.remove(manager)

    def followers(self, n: int) -> list[Peer]:
        """n instances, one follower on each, their Accepts received and forgotten."""
        made = [Peer().start() for _ in range(n)]
        self.peers.extend(made)
        for peer in made:
            actor = peer.person("remote")
            follow = peer.follow(actor["id"], self.community["actor_id"])
            assert peer.send(f"{self.server.base_url}/inbox", follow).status_code == 202
        settle(self.server)
        wait_for(lambda: all(len(p.received) == 1 for p in made), message="the Accepts")
        for peer in made:
            peer.received.clear()
        return made

    def post(self, name: str) -> None:
        self.admin.post(self.community["id"], name=name)


@pytest.fixture
def fan(server_factory):
    server = server_factory(**{**FAST, "federation_workers": False})
    admin = make_admin(server)

    async def start_inbox() -> InboxWorker:
        worker = InboxWorker(server.state)
        worker.start()
        return worker

    inbox = server.run(start_inbox)
    fan = Fan(server, admin, admin.community("main")["community"])
    fan.start()
    yield fan
    for manager in list(fan.managers):
        fan.stop(manager)
    server.run(inbox.stop)
    for peer in fan.peers:
        peer.stop()


def test_many_instances_each_get_every_post_once_and_in_order(fan):
    farm = fan.followers(6)
    names = [f"post {n}" for n in range(25)]
    for name in names:
        fan.post(name)
    wait_for(lambda: all(len(created(p)) >= len(names) for p in farm), timeout=30, message="every post everywhere")
    time.sleep(1)  # a second copy would come within the next ticks
    for peer in farm:
        assert created(peer) == names


def test_a_manager_stopped_mid_batch_leaves_the_rest_to_the_next_once_and_in_order(fan):
    farm = fan.followers(3)
    fan.stop(fan.managers[0])  # queue the whole batch while no manager runs
    names = [f"batch {n}" for n in range(40)]
    for name in names:
        fan.post(name)
    for peer in farm:
        peer.delay = 0.05  # the batch takes each instance two seconds or more
    manager = fan.start()
    wait_for(lambda: all(len(created(p)) >= 5 for p in farm), message="the batch under way")
    fan.stop(manager)  # the deliveries in hand finish, every position is written, the leases go back
    reached = [len(created(p)) for p in farm]
    assert all(0 < n < len(names) for n in reached), reached  # stopped mid-batch
    fan.start()
    wait_for(lambda: all(len(created(p)) >= len(names) for p in farm), timeout=30, message="the rest of the batch")
    time.sleep(1)
    for peer in farm:
        assert created(peer) == names  # each once, in order, none skipped


def test_a_dead_and_a_slow_instance_do_not_delay_a_healthy_one(fan):
    healthy, slow, dead = fan.followers(3)
    slow.delay = 5.0
    dead.stop()  # nothing listens there any more: connections are refused
    for n in range(3):
        started = time.monotonic()
        fan.post(f"news {n}")
        wait_for(lambda n=n: len(created(healthy)) == n + 1, timeout=5, message="the post at the healthy instance")
        assert time.monotonic() - started < 1.5
    wait_for(lambda: len(created(slow)) >= 1, timeout=10, message="the slow instance's first post")
    assert created(healthy) == ["news 0", "news 1", "news 2"]
