"""Lemmy 1.0's Private communities across servers: a remote Follow of ours waits for a moderator before its Accept
(or Reject) goes out, and a member's follow of a remote Private community waits for that community's Accept."""

from __future__ import annotations

import httpx
import pytest

from agora.federation import signatures
from tests.federation.conftest import needs_fixtures, wait_for
from tests.support.client import Api

pytestmark = [pytest.mark.federation, needs_fixtures]
AP = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _v4(world, token: str | None) -> Api:
    return Api(world.server.base_url, token, prefix="/api/v4")


def _fetch(url: str, peer=None, actor: str | None = None) -> int:
    """The status of a GET of `url`, signed by `actor` of `peer` when given."""
    signed = signatures.sign_headers("GET", url, None, f"{actor}#main-key", peer.private_key) if peer else {}
    return httpx.get(url, headers={"Accept": AP, **signed}, timeout=30).status_code


def _signed(peer, actor: str, url: str) -> dict:
    return signatures.sign_headers("GET", url, None, f"{actor}#main-key", peer.private_key)


def _answers(peer) -> list[dict]:
    """The Accepts and Rejects the peer received, in the order they came."""
    return [r["activity"] for r in peer.received if r["activity"]["type"] in ("Accept", "Reject")]


def test_a_remote_follow_of_our_private_community_is_accepted_only_when_a_moderator_approves(world_factory):
    world = world_factory("enterprise.lemmy.ml")
    mod = _v4(world, world.admin.token)
    community = world.admin.community("main")["community"]
    mod.put("/community", {"community_id": community["id"], "visibility": "private"})
    group = httpx.get(community["actor_id"], headers={"Accept": AP}, timeout=30).json()
    assert group["manuallyApprovesFollowers"] is True
    post_url = world.admin.post(community["id"], "said before")["post"]["ap_id"]
    outbox, replies = f"{community['actor_id']}/outbox", f"{post_url}/replies"

    follow = world.fixture("1.0", "lemmy/activities/following/follow.json")
    assert world.apply(follow) == ("applied", None)
    ds9 = world.peer("ds9.lemmy.ml")
    for url in (post_url, outbox, replies):
        assert _fetch(url) == 404
        assert _fetch(url, ds9, follow["actor"]) == 404  # asked, not approved
    waiting = mod.get("/community/pending_follows/list", unread_only=True)["items"]
    assert [(i["person"]["ap_id"], i["follow_state"], i["is_new_instance"]) for i in waiting] == [
        (follow["actor"], "approval_required", True)
    ]
    assert mod.get("/community", id=community["id"])["community_view"]["community"]["subscribers"] == 1

    follower_id = waiting[0]["person"]["id"]
    approve = {"community_id": community["id"], "follower_id": follower_id, "approve": True}
    assert mod.post("/community/pending_follows/approve", approve) == {"success": True}
    answers = wait_for(lambda: _answers(ds9), message="the Accept")
    # One server's deliveries go in order: an Accept sent when the Follow came would have arrived first.
    assert [(a["type"], a["object"]["id"], a["actor"]) for a in answers] == [
        ("Accept", follow["id"], community["actor_id"])
    ]
    assert mod.get("/community", id=community["id"])["community_view"]["community"]["subscribers"] == 2
    for url in (post_url, outbox, replies):
        assert _fetch(url, ds9, follow["actor"]) == 200
        assert _fetch(url) == 404

    world.admin.post(community["id"], "for the approved only")
    announces = wait_for(
        lambda: [r["activity"] for r in ds9.received if r["activity"]["type"] == "Announce"], message="the Announce"
    )
    # Lemmy 1.0 refuses a Private community's content addressed to the public: to the community and its followers.
    followers = f"{community['actor_id']}/followers"
    [announce] = announces  # no microblog boost of the Page either
    page = announce["object"]["object"]
    for document in (announce, announce["object"], page):
        assert PUBLIC not in document["to"] + document.get("cc", []), document["type"]
        assert followers in document["to"], document["type"]
    fetched = httpx.get(post_url, headers={"Accept": AP, **_signed(ds9, follow["actor"], post_url)}, timeout=30)
    assert PUBLIC not in fetched.json()["to"]


def test_a_denied_remote_follow_gets_a_reject(world_factory):
    world = world_factory("enterprise.lemmy.ml")
    mod = _v4(world, world.admin.token)
    community = world.admin.community("main")["community"]
    mod.put("/community", {"community_id": community["id"], "visibility": "private"})
    follow = world.fixture("1.0", "lemmy/activities/following/follow.json")
    assert world.apply(follow) == ("applied", None)
    follower_id = mod.get("/community/pending_follows/list", unread_only=True)["items"][0]["person"]["id"]
    deny = {"community_id": community["id"], "follower_id": follower_id, "approve": False}
    assert mod.post("/community/pending_follows/approve", deny) == {"success": True}
    answers = wait_for(lambda: _answers(world.peer("ds9.lemmy.ml")), message="the Reject")
    assert [(a["type"], a["object"]["id"]) for a in answers] == [("Reject", follow["id"])]
    assert mod.get("/community/pending_follows/list", unread_only=True)["items"] == []


def test_our_follow_of_a_remote_private_community_waits_for_its_accept(world_factory):
    world = world_factory("ds9.lemmy.ml")
    world.peer("enterprise.lemmy.ml").group("main", manuallyApprovesFollowers=True)
    alpha = Api(world.server.base_url).register("lemmy_alpha")
    v4 = _v4(world, alpha.token)
    found = v4.get("/resolve_object", q=world.url("http://enterprise.lemmy.ml/c/main"))
    community = found["community"]
    assert community["visibility"] == "private"
    asked = v4.post("/community/follow", {"community_id": community["id"], "follow": True})["community_view"]
    assert asked["community_actions"]["follow_state"] == "approval_required"
    assert world.apply(world.fixture("1.0", "lemmy/activities/following/accept.json")) == ("applied", None)
    seen = v4.get("/community", id=community["id"])["community_view"]
    assert seen["community_actions"]["follow_state"] == "accepted"
