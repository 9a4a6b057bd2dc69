"""What we send: every change of a local community reaches its remote followers in Lemmy's shapes, wrapped in the
community's Announce, signed by a key our actor document publishes, in order, once per shared inbox; a failing
instance waits with back-off while the others go on."""

from __future__ import annotations

import uuid

import httpx
import pytest

from agora.federation import signatures
from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api

pytestmark = pytest.mark.federation
AP = {"Accept": "application/activity+json"}


@pytest.fixture
def local(server_factory):
    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("main")["community"]
    peers: list[Peer] = []

    def follower(name: str = "remote", peer: Peer | None = None) -> tuple[Peer, dict]:
        if peer is None:
            peer = Peer().start()
            peers.append(peer)
        actor = peer.person(name)
        follow = peer.follow(actor["id"], community["actor_id"])
        assert peer.send(f"{server.base_url}/inbox", follow).status_code == 202
        settle(server)
        return peer, actor

    yield server, admin, community, follower
    for peer in peers:
        peer.stop()


def inner_types(peer: Peer) -> list[str]:
    out = []
    for received in peer.received:
        activity = received["activity"]
        if activity["type"] == "Announce":
            inner = activity["object"]
            label = inner["type"]
            if label == "Undo":
                label = f"Undo/{inner['object']['type']}"
            elif isinstance(inner.get("object"), dict):
                label = f"{label}/{inner['object']['type']}"
            out.append(label)
        else:
            out.append(activity["type"])
    return out


def test_a_local_community_announces_everything_in_lemmy_shapes(local):
    server, admin, community, follower = local
    peer, actor = follower()
    writer = Api(server.base_url).register("writer")
    post = writer.post(community["id"], name="Federated post", body="hello **world**")["post"]
    writer.api.put("/post", {"post_id": post["id"], "name": "Federated post, edited"})
    comment = writer.comment(post["id"], f"hi @remote@{peer.domain}")["comment"]
    writer.vote_comment(comment["id"], -1)
    writer.api.post("/comment/delete", {"comment_id": comment["id"], "deleted": True})
    admin.api.post("/post/remove", {"post_id": post["id"], "removed": True, "reason": "off topic"})
    admin.api.post("/post/remove", {"post_id": post["id"], "removed": False})
    admin.api.post("/post/lock", {"post_id": post["id"], "locked": True})
    admin.api.post("/post/feature", {"post_id": post["id"], "featured": True, "feature_type": "Community"})
    admin.api.post("/community/mod", {"community_id": community["id"], "person_id": writer.person_id, "added": True})
    admin.api.post(
        "/community/ban_user",
        {
            "community_id": community["id"],
            "person_id": writer.person_id,
            "ban": True,
            "reason": "spam",
            "expires": 2_000_000_000,
        },
    )
    admin.api.put("/community", {"community_id": community["id"], "title": "Main, renamed"})
    expected = [
        "Accept",
        "Create/Page",
        "Page",
        "Update/Page",
        "Create/Note",
        "Create",
        "Dislike",
        "Delete",
        "Delete",
        "Undo/Delete",
        "Lock",
        "Add",
        "Add",
        "Block",
        "Update/Group",
    ]
    wait_for(lambda: len(peer.received) >= len(expected), message="every activity at the peer")
    # In order; the new post is also announced bare ("Page") for microblog followers; the mention also goes
    # straight to the person's server (the bare "Create" after its Announce).
    assert inner_types(peer) == expected
    announces = [r["activity"] for r in peer.received if r["activity"]["type"] == "Announce"]
    assert all(
        a["actor"] == community["actor_id"] and a["cc"] == [f"{community['actor_id']}/followers"] for a in announces
    )
    by_type = {a["object"]["type"]: a["object"] for a in reversed(announces)}
    page = by_type["Create"]["object"]
    assert (
        page["type"] == "Page" and page["name"] == "Federated post" and page["source"]["content"] == "hello **world**"
    )
    assert page["audience"] == community["actor_id"] and page["attributedTo"].endswith("/u/writer")
    boosted = by_type["Page"]  # what a Mastodon follower can show: the community boosting the post
    assert boosted["id"] == page["id"] and boosted["name"] == "Federated post" and "@context" not in boosted
    remove = next(a["object"] for a in announces if a["object"]["type"] == "Delete" and "summary" in a["object"])
    assert remove["summary"] == "off topic" and remove["object"] == post["ap_id"]
    block = by_type["Block"]
    assert block["target"] == community["actor_id"] and block["endTime"].startswith("2033-05-18")
    note = next(
        a["object"]["object"]
        for a in announces
        if a["object"]["type"] == "Create" and a["object"]["object"]["type"] == "Note"
    )
    assert note["tag"] == [{"href": actor["id"], "type": "Mention", "name": f"@remote@{peer.domain}"}]
    assert actor["id"] in note["cc"]
    # Every request is signed by the actor whose key our own document publishes.
    for received in peer.received:
        signer = signatures.key_id_of(received["headers"]).split("#")[0]
        assert signer.startswith(server.settings.base_url)
        key = httpx.get(signer, headers=AP).json()["publicKey"]["publicKeyPem"]
        signatures.verify("POST", received["path"], received["headers"], received["body"], key)


def test_one_post_per_shared_inbox_and_a_failing_instance_waits_alone(local):
    _server, admin, community, follower = local
    slow, _ = follower("one")
    follower("two", slow)  # a second follower on the same server: still one delivery per activity
    healthy, _ = follower("three")
    wait_for(lambda: len(slow.received) == 2 and len(healthy.received) == 1, message="the Accepts")
    slow.received.clear()
    healthy.received.clear()
    admin.post(community["id"], name="first")
    wait_for(
        lambda: len(slow.received) == 2 and len(healthy.received) == 2,
        message="one delivery each of the post and of its boost",
    )
    slow.status = 503
    for n in range(3):
        admin.post(community["id"], name=f"while failing {n}")
    wait_for(lambda: len(healthy.received) == 8, message="the healthy instance to be served")
    state = {i["domain"]: i for i in admin.api.get("/agora/federation")["instances"]}
    failing = state[slow.domain]
    assert failing["fail_count"] >= 1 and failing["last_error"] and failing["queue_length"] >= 1
    assert failing["lag_seconds"] is not None and not failing["dead"]
    assert state[healthy.domain]["fail_count"] == 0
    slow.status = 202

    def creates() -> list[dict]:
        announces = [r["activity"] for r in slow.received if r["activity"] and r["activity"]["type"] == "Announce"]
        return [a["object"] for a in announces if a["object"]["type"] == "Create"]

    wait_for(lambda: len(creates()) >= 4, timeout=30, message="the backlog after recovery")
    delivered = [create["object"]["name"] for create in creates()]
    assert list(dict.fromkeys(delivered)) == ["first", "while failing 0", "while failing 1", "while failing 2"]
    assert admin.api.get("/federated_instances")["federated_instances"]["linked"]


def test_replies_and_mentions_reach_their_servers_from_a_community_no_server_follows(local):
    server, _admin, community, _follower = local
    peer = Peer().start()
    try:
        author = peer.person("author")
        writer = Api(server.base_url).register("writer")
        post = writer.post(community["id"], name="Local only, so far")["post"]
        note = peer.add(
            {
                "id": peer.url(f"/comment/{uuid.uuid4()}"),
                "type": "Note",
                "attributedTo": author["id"],
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [community["actor_id"]],
                "audience": community["actor_id"],
                "inReplyTo": post["ap_id"],
                "content": "<p>from afar</p>",
                "mediaType": "text/html",
                "published": "2024-01-01T00:00:00Z",
            }
        )
        create = {
            "id": peer.url(f"/activities/create/{uuid.uuid4()}"),
            "type": "Create",
            "actor": author["id"],
            "object": note,
            "to": note["to"],
            "cc": note["cc"],
            "audience": community["actor_id"],
        }
        assert peer.send(f"{server.base_url}/inbox", create).status_code == 202
        assert settle(server)[create["id"]] == ("applied", None)
        [theirs] = writer.api.get("/comment/list", post_id=post["id"])["comments"]
        writer.comment(post["id"], "a plain comment: no other server hears of it")
        reply = writer.comment(post["id"], "a reply to the remote author", parent_id=theirs["comment"]["id"])
        mention = writer.comment(post["id"], f"and a word for @author@{peer.domain}")
        wait_for(lambda: len(peer.received) >= 2, message="the reply and the mention at the author's server")
        sent = [r["activity"] for r in peer.received]
        assert [(a["type"], a["object"]["id"]) for a in sent] == [
            ("Create", reply["comment"]["ap_id"]),
            ("Create", mention["comment"]["ap_id"]),
        ]
    finally:
        peer.stop()


def test_an_activity_leaves_at_its_commit_not_at_the_next_poll(server_factory):
    """Lemmy's suite gives a peer a second or less to pass a change on; the delivery manager is woken by the
    commit that queued an activity, and polls only for retries and other processes' work."""
    server = server_factory(**{**FAST, "federation_poll_seconds": 10})
    admin = make_admin(server)
    community = admin.community("main")["community"]
    peer = Peer().start()
    try:
        actor = peer.person("remote")
        follow = peer.follow(actor["id"], community["actor_id"])
        peer.send(f"{server.base_url}/inbox", follow)
        wait_for(lambda: inner_types(peer) == ["Accept"], timeout=3, message="the Accept, well before a poll")
        for n in range(3):
            admin.post(community["id"], name=f"quick {n}")
            wait_for(lambda n=n: inner_types(peer).count("Create/Page") == n + 1, timeout=2, message="the post")
    finally:
        peer.stop()
