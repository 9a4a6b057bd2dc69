"""Federation test support: Agora servers that federate over loopback, fake peers, and waiting for the queues."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from agora.queries import activities as activity_queries
from tests.federation.peer import Hosts, fixtures_root
from tests.support.admin import make_admin

# Loopback federation: plain http and 127.0.0.1 allowed, workers that look for work five times a second.
FAST = {
    "federation_debug": True,
    "federation_poll_seconds": 0.1,
    "federation_retry_max_seconds": 1,
    "federation_actor_refresh_seconds": 3600,
}
FIXTURES = fixtures_root()
needs_fixtures = pytest.mark.skipif(FIXTURES is None, reason="../shared/fixtures/activitypub is not on this machine")


def wait_for(predicate, timeout: float = 20, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.1)


def received(server) -> dict[str, tuple[str, str | None]]:
    """ap_id → (state, reason) of every activity the server received."""

    async def read():
        async with server.state.db.read() as session:
            return await activity_queries.received(session, state=None, limit=10_000)

    return {r["ap_id"]: (r["state"], r["reason"]) for r in server.run(read)}


def _settled(state: str, reason: str | None, retrying_ok: bool) -> bool:
    return state != "queued" or (retrying_ok and (reason or "").startswith("retrying"))


def settle(server, timeout: float = 20, *, retrying_ok: bool = False) -> dict[str, tuple[str, str | None]]:
    """Wait until nothing received is still queued (or, with `retrying_ok`, only waits to be tried again);
    answers received(server)."""
    return wait_for(
        lambda: (found := received(server)) and all(_settled(s, r, retrying_ok) for s, r in found.values()) and found,
        timeout,
        "received activities to be applied",
    )


class World:
    """One Agora server under test playing fixture host `ours`; every other fixture host is a Peer."""

    def __init__(self, server, ours: str) -> None:
        self.server = server
        self.hosts = Hosts(ours, server.settings.domain)
        self.admin = make_admin(server)
        self.replacements: dict[str, str] = {}

    def fixture(self, version: str, path: str) -> dict:
        text = (FIXTURES / version / path).read_text()
        for old, new in self.replacements.items():
            text = text.replace(old, new)
        return self.hosts.rewrite(json.loads(text))

    def url(self, fixture_url: str) -> str:
        return self.hosts.rewrite(fixture_url)

    def peer(self, host: str):
        return self.hosts.peer(host)

    def serve(self, host: str, document: dict) -> dict:
        """Have the peer playing `host` serve a (fixture-shaped) document at its id."""
        rewritten = self.hosts.rewrite(document)
        self.peer(host).add(rewritten)
        return rewritten

    def deliver(self, document: dict, inbox: str = "/inbox", *, expect: int | None = 202):
        actor = document["actor"]
        peer = next(p for p in self.hosts.peers.values() if actor.startswith(p.base_url))
        response = peer.send(f"{self.server.base_url}{inbox}", document)
        if expect is not None:
            assert response.status_code == expect, response.text
        return response

    def apply(self, document: dict, inbox: str = "/inbox") -> tuple[str, str | None]:
        """Deliver and wait for it to be applied; answers (state, reason) of the activity."""
        self.deliver(document, inbox)
        return settle(self.server)[document["id"]]

    def stop(self) -> None:
        self.hosts.stop()


@pytest.fixture
def world_factory(server_factory):
    worlds: list[World] = []

    def make(ours: str, **settings) -> World:
        world = World(server_factory(**{**FAST, **settings}), ours)
        worlds.append(world)
        return world

    yield make
    for world in worlds:
        world.stop()


def fixture_path(version: str, path: str) -> Path:
    return FIXTURES / version / path
