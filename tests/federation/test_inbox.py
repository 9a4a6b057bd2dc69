"""The inbox refuses what it cannot trust with a 4xx and its reason, stores the rest once, and answers fast."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from agora.federation import signatures
from tests.conftest import ENGINE
from tests.federation.conftest import FAST, received, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation


@pytest.fixture
def setup(server_factory):
    server = server_factory(**FAST)
    peer = Peer().start()
    admin = make_admin(server)
    community = admin.community("main")["community"]
    yield server, peer, admin, community
    peer.stop()


def follow(peer, community, name="alice"):
    actor = peer.person(name)["id"]
    return {
        "id": peer.url(f"/activities/follow/{uuid.uuid4()}"),
        "type": "Follow",
        "actor": actor,
        "object": community["actor_id"],
        "to": [community["actor_id"]],
    }


def post(server, body: bytes, headers: dict) -> httpx.Response:
    return httpx.post(f"{server.base_url}/inbox", content=body, headers=headers, timeout=30)


def test_a_signed_follow_is_stored_once_and_answered_fast(setup):
    server, peer, admin, community = setup
    activity = follow(peer, community)
    started = time.monotonic()
    first = peer.send(f"{server.base_url}/c/main/inbox", activity)
    assert first.status_code == 202 and first.json() == {"status": "queued"}
    assert time.monotonic() - started < 5
    assert peer.send(f"{server.base_url}/inbox", activity).status_code == 200  # the same id again
    assert settle(server) == {activity["id"]: ("applied", None)}
    assert admin.api.get("/community", id=community["id"])["community_view"]["counts"]["subscribers"] == 2


def test_forged_signature_is_refused(setup):
    server, peer, _admin, community = setup
    activity = follow(peer, community)
    body = json.dumps(activity).encode()
    other_private, _ = signatures.generate_key_pair()
    headers = signatures.sign_headers(
        "POST", f"{server.base_url}/inbox", body, f"{activity['actor']}#main-key", other_private
    )
    response = post(server, body, {**headers, "Content-Type": "application/activity+json"})
    assert response.status_code == 401 and response.json()["error"] == "bad_signature"
    assert received(server) == {}


def test_unsigned_tampered_stale_and_misdirected_requests_are_refused(setup):
    server, peer, _admin, community = setup
    activity = follow(peer, community)
    body = json.dumps(activity).encode()
    url = f"{server.base_url}/inbox"
    ap = {"Content-Type": "application/activity+json"}
    assert post(server, body, ap).status_code == 401  # no signature at all
    headers = peer.sign(url, body, activity["actor"])
    assert post(server, body.replace(b"Follow", b"Flags!"), headers).status_code == 401  # digest no longer matches
    stale = peer.sign(url, body, activity["actor"])
    old = format_datetime(datetime.now(UTC) - timedelta(hours=3), usegmt=True)
    stale_headers = signatures.sign_headers("POST", url, body, f"{activity['actor']}#main-key", peer.private_key)
    stale_headers["Date"] = old  # re-dated after signing: the date no longer verifies, and is stale anyway
    assert post(server, body, {**stale_headers, **ap}).status_code == 401
    assert stale["Signature"]
    other = Peer().start()
    try:
        spoofed = {**activity, "id": other.url(f"/activities/follow/{uuid.uuid4()}")}  # id on another host
        response = peer.send(url, spoofed)
        assert response.status_code == 400 and "another host" in response.json()["message"]
        signed_by_other = json.dumps(activity).encode()
        headers = signatures.sign_headers(
            "POST", url, signed_by_other, other.url("/u/mallory#main-key"), other.private_key
        )
        response = post(server, signed_by_other, {**headers, **ap})
        assert response.status_code == 401 and "another server" in response.json()["message"]
    finally:
        other.stop()
    assert received(server) == {}


def test_bodies_that_are_too_large_or_not_activities_are_refused(setup):
    server, peer, _admin, community = setup
    url = f"{server.base_url}/inbox"
    huge = follow(peer, community) | {"summary": "x" * (600 * 1024)}
    body = json.dumps(huge).encode()
    assert post(server, body, peer.sign(url, body, huge["actor"])).status_code == 413
    for bad in (
        b"not json",
        b"[1, 2]",
        b'{"type": "Follow"}',
        json.dumps({**follow(peer, community), "actor": 5}).encode(),
    ):
        response = post(server, bad, peer.sign(url, bad, peer.url("/u/alice")))
        assert response.status_code == 400, bad
    body = json.dumps(follow(peer, community)).encode()
    headers = {**peer.sign(url, body, peer.url("/u/alice")), "Content-Type": "text/plain"}
    assert post(server, body, headers).status_code == 415
    assert received(server) == {}


def test_a_rotated_key_is_refetched_once(setup):
    server, peer, admin, community = setup
    first = follow(peer, community, "rotating")
    assert peer.send(f"{server.base_url}/inbox", first).status_code == 202
    settle(server)
    peer.private_key, peer.public_key = signatures.generate_key_pair()
    peer.person("rotating")  # now serves the new key
    undo = {
        "id": peer.url(f"/activities/undo/{uuid.uuid4()}"),
        "type": "Undo",
        "actor": first["actor"],
        "object": first,
    }
    assert peer.send(f"{server.base_url}/inbox", undo).status_code == 202
    assert settle(server)[undo["id"]] == ("applied", None)
    assert admin.api.get("/community", id=community["id"])["community_view"]["counts"]["subscribers"] == 1


def test_blocked_and_unlisted_instances_are_refused_both_ways(setup):
    server, peer, admin, community = setup
    admin.api.put("/site", {"blocked_instances": [peer.domain]})
    response = peer.send(f"{server.base_url}/inbox", follow(peer, community))
    assert response.status_code == 403 and response.json()["error"] == "domain_blocked"
    _status, error = admin.api.error("GET", "/resolve_object", q=peer.url("/u/alice"))
    assert error == "couldnt_find_object"  # Lemmy answers every failure so
    listed = admin.api.get("/federated_instances")["federated_instances"]
    assert [i["domain"] for i in listed["blocked"]] == [peer.domain]
    other = Peer().start()
    try:
        admin.api.put("/site", {"blocked_instances": [], "allowed_instances": [other.domain]})
        response = peer.send(f"{server.base_url}/inbox", follow(peer, community))
        assert response.status_code == 403 and response.json()["error"] == "domain_not_in_allow_list"
        assert other.send(f"{server.base_url}/inbox", follow(other, community)).status_code == 202
    finally:
        other.stop()


def test_a_list_entry_without_a_port_names_the_host_on_every_port(setup):
    """Lemmy's lists name instances by host: `lemmy-beta` stands for lemmy-beta:8551 too."""
    server, peer, admin, community = setup
    admin.api.put("/site", {"allowed_instances": ["127.0.0.1"]})
    assert peer.send(f"{server.base_url}/inbox", follow(peer, community)).status_code == 202
    admin.api.put("/site", {"allowed_instances": [], "blocked_instances": ["127.0.0.1"]})
    response = peer.send(f"{server.base_url}/inbox", follow(peer, community, "bob"))
    assert response.status_code == 403 and response.json()["error"] == "domain_blocked"
    admin.api.put("/site", {"blocked_instances": [f"127.0.0.1:{peer.port + 1}"]})  # another port only
    assert peer.send(f"{server.base_url}/inbox", follow(peer, community, "carol")).status_code == 202


def test_a_failure_is_kept_with_its_reason_and_others_go_on(setup):
    server, peer, admin, community = setup
    bad = {
        "id": peer.url(f"/activities/like/{uuid.uuid4()}"),
        "type": "Like",
        "actor": peer.person("bob")["id"],
        "object": server.settings.base_url + "/post/999",
    }
    good = follow(peer, community, "carol")
    assert peer.send(f"{server.base_url}/inbox", bad).status_code == 202
    assert peer.send(f"{server.base_url}/inbox", good).status_code == 202
    states = settle(server)
    assert states[good["id"]] == ("applied", None)
    assert states[bad["id"]][0] == "failed" and "couldnt_find_object" in states[bad["id"]][1]
    failures = admin.api.get("/agora/federation")["failures"]
    assert [f["ap_id"] for f in failures] == [bad["id"]]
    wait_for(lambda: any(r["activity"]["type"] == "Accept" for r in peer.received), message="the Accept")


def test_with_federation_off_nothing_comes_in_or_goes_out(setup):
    server, peer, admin, community = setup
    assert peer.send(f"{server.base_url}/inbox", follow(peer, community, "early")).status_code == 202
    wait_for(lambda: any(r["activity"]["type"] == "Accept" for r in peer.received), message="the Accept")
    admin.api.put("/site", {"federation_enabled": False})
    time.sleep(5.5)  # the site settings are cached for a few seconds in each process
    response = peer.send(f"{server.base_url}/inbox", follow(peer, community, "late"))
    assert response.status_code == 403 and response.json()["error"] == "federation_disabled"
    admin.post(community["id"], name="stays here")
    time.sleep(1)
    assert [r["activity"]["type"] for r in peer.received] == ["Accept"]


def test_one_actors_activities_apply_in_the_order_they_came(server_factory):
    """A backlog of flip-flopping votes, applied by two workers at once: each voter's last vote is the one kept."""
    from agora.federation.inbox import InboxWorker

    server = server_factory(**FAST, federation_workers=False)  # nothing is applied until the workers start
    peer = Peer().start()
    admin = make_admin(server)
    community = admin.community("main")["community"]
    target = admin.post(community["id"])["post"]
    voters = {name: peer.person(name)["id"] for name in ("dora", "emil", "fay")}
    sent = []
    for i in range(7):
        for name, actor in voters.items():
            kind = ("Like", "Dislike")[(i + (name == "fay")) % 2]  # dora and emil end on a Like, fay on a Dislike
            activity = {
                "id": peer.url(f"/activities/{kind.lower()}/{uuid.uuid4()}"),
                "type": kind,
                "actor": actor,
                "object": target["ap_id"],
            }
            assert peer.send(f"{server.base_url}/inbox", activity).status_code == 202
            sent.append(activity["id"])
    assert {state for state, _ in received(server).values()} == {"queued"}
    first, second = InboxWorker(server.state), InboxWorker(server.state)

    # A worker takes each voter's earliest activity only; the next ones wait while those are held.
    claimed = server.run(first.claim)
    assert [json.loads(data)["id"] for _, data, _, _ in claimed] == sent[:3]
    assert server.run(second.claim) == []

    async def process(worker, rows) -> None:
        for row in rows:
            await worker.process(*row[:3])  # (id, data, attempt); the request id is set by the loop

    server.run(lambda: process(first, claimed))
    claimed = server.run(second.claim)
    assert [json.loads(data)["id"] for _, data, _, _ in claimed] == sent[3:6]
    server.run(lambda: process(second, claimed))

    async def start() -> None:  # the rest by both at once
        for worker in (first, second):
            worker.start()

    server.run(start)
    try:
        states = settle(server)
    finally:
        for worker in (first, second):
            server.run(worker.stop)
        peer.stop()
    assert all(states[ap_id] == ("applied", None) for ap_id in sent)
    counts = admin.api.get("/post", id=target["id"])["post_view"]["counts"]
    assert (counts["upvotes"], counts["downvotes"], counts["score"]) == (3, 1, 2)  # the author's, dora's, emil's


@pytest.mark.skipif(ENGINE != "postgres", reason="row locks and deadlock detection are PostgreSQL's")
def test_a_vote_that_deadlocks_is_tried_again_not_lost(setup):
    """The vote holds the post's row and waits for its author's; we hold the author's and ask for the post's.
    PostgreSQL aborts the worker's transaction (it waited longest): the activity is queued again, then applied."""
    import asyncpg

    server, peer, admin, community = setup
    target = admin.post(community["id"])["post"]
    author_id = target["creator_id"]
    like = {
        "id": peer.url(f"/activities/like/{uuid.uuid4()}"),
        "type": "Like",
        "actor": peer.person("gus")["id"],
        "object": target["ap_id"],
    }

    async def deadlock() -> None:
        conn = await asyncpg.connect(server.settings.database_url.replace("+asyncpg", ""))
        try:
            await conn.execute("SET deadlock_timeout = '10s'")  # the worker's backend looks for the cycle first
            transaction = conn.transaction()
            await transaction.start()
            await conn.execute("SELECT 1 FROM person WHERE id = $1 FOR UPDATE", author_id)
            assert (await asyncio.to_thread(peer.send, f"{server.base_url}/inbox", like)).status_code == 202
            for _ in range(200):  # until the vote waits for the author's row
                waiting = await conn.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
                )
                if waiting:
                    break
                await asyncio.sleep(0.05)
            assert waiting, "the vote never waited for the author's row"
            await conn.execute("SELECT 1 FROM post WHERE id = $1 FOR UPDATE", target["id"])
            await transaction.rollback()
        finally:
            await conn.close()

    asyncio.run(deadlock())
    state, reason = wait_for(lambda: (row := received(server).get(like["id"])) and row[1] and row, message="an outcome")
    assert state == "queued" and reason.startswith("retrying: database"), (state, reason)
    assert settle(server)[like["id"]] == ("applied", None)
    assert admin.api.get("/post", id=target["id"])["post_view"]["counts"]["upvotes"] == 2
