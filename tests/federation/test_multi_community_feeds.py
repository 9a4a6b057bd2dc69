"""Multi-communities federate as Lemmy 1.0's Feed actors: one server serves its multi-community at `/m/{name}`
with a `following` collection of the communities' ids; another resolves that URL through API v4's
resolve_object and shows it, with both communities and their posts."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api

pytestmark = pytest.mark.federation
AP = {"Accept": "application/activity+json"}
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _feed_with_two_communities(server) -> tuple[Api, dict, list[dict]]:
    admin = make_admin(server)
    listed = [admin.community(name)["community"] for name in ("cats", "dogs")]
    for community in listed:
        admin.post(community["id"], name=f"news of {community['name']}")
    v4 = Api(server.base_url, admin.api.token, "/api/v4")
    texts = {"title": "Pets", "summary": "small animals", "sidebar": "**be kind**"}
    multi = v4.post("/multi_community", {"name": "pets", **texts})
    multi = multi["multi_community_view"]["multi"]
    for community in listed:
        v4.post("/multi_community/entry", {"id": multi["id"], "community_id": community["id"]})
    return v4, multi, listed


def test_a_multi_community_is_served_as_lemmys_feed_actor(server_factory):
    server = server_factory(**FAST)
    v4, multi, listed = _feed_with_two_communities(server)
    document = httpx.get(multi["ap_id"], headers=AP)
    assert document.status_code == 200 and document.headers["content-type"].startswith("application/activity+json")
    feed = document.json()
    assert feed["type"] == "Feed" and feed["id"] == multi["ap_id"] == f"{server.base_url}/m/pets"
    assert feed["preferredUsername"] == "pets" and feed["name"] == "Pets" and feed["description"] == "small animals"
    owner = v4.get("/account")["local_user_view"]["person"]["ap_id"]
    assert feed["attributedTo"] == owner
    assert feed["inbox"] == f"{server.base_url}/inbox"
    assert feed["source"] == {"content": "**be kind**", "mediaType": "text/markdown"}
    assert "<strong>be kind</strong>" in feed["summary"] and feed["mediaType"] == "text/html"
    assert feed["publicKey"]["owner"] == f"{server.base_url}/"  # the instance actor's key, as Lemmy's Feed has
    assert "PUBLIC KEY" in feed["publicKey"]["publicKeyPem"]
    following = httpx.get(feed["following"], headers=AP).json()
    assert following["type"] == "Collection" and following["id"] == feed["following"]
    assert following["totalItems"] == 2
    assert sorted(following["items"]) == sorted(c["actor_id"] for c in listed)
    # the web UI's request for the same path is not answered with ActivityPub
    assert "activity+json" not in httpx.get(multi["ap_id"]).headers.get("content-type", "")
    assert httpx.get(f"{server.base_url}/m/nothing", headers=AP).status_code == 404


def test_another_server_resolves_a_feed_with_its_communities_and_posts(server_factory):
    alpha, beta = server_factory(**FAST), server_factory(**FAST)
    _v4, multi, listed = _feed_with_two_communities(alpha)
    reader = Api(beta.base_url, make_admin(beta).api.token, "/api/v4")
    found = reader.get("/resolve_object", q=multi["ap_id"])
    assert found["type_"] == "multi_community"
    here = found["multi"]
    assert here["ap_id"] == multi["ap_id"] and here["local"] is False and here["name"] == "pets"
    assert here["title"] == "Pets" and here["communities"] == 2
    assert here["summary"] == "small animals" and here["sidebar"] == "**be kind**"
    assert found["owner"]["ap_id"].startswith(alpha.base_url)
    shown = reader.get("/multi_community", id=here["id"])
    assert sorted(c["community"]["ap_id"] for c in shown["communities"]) == sorted(c["actor_id"] for c in listed)
    assert (
        reader.get("/multi_community", name=f"pets@{alpha.settings.hostname}")["multi_community_view"]["multi"]["id"]
        == here["id"]
    )

    def titles() -> set[str]:
        return {p["post"]["name"] for p in reader.get("/post/list", multi_community_id=here["id"])["items"]}

    wait_for(lambda: titles() == {"news of cats", "news of dogs"}, message="the listed communities' posts")
    again = reader.get("/resolve_object", q=multi["ap_id"])  # known now: answered from the database
    assert again["multi"]["id"] == here["id"]
    anonymous = Api(beta.base_url, prefix="/api/v4")
    assert anonymous.get("/resolve_object", q=multi["ap_id"])["multi"]["id"] == here["id"]
    # API v3 has no multi-communities: its resolve_object does not answer one
    assert Api(beta.base_url, reader.token).request("GET", "/resolve_object", q=multi["ap_id"]).status_code == 400


def _lemmy_feed(peer: Peer, owner: str, communities: list[str]) -> dict:
    """A Feed and its following collection as Lemmy 1.0 serves them."""
    url = peer.url("/m/reading")
    peer.add({"type": "Collection", "id": f"{url}/following", "totalItems": len(communities), "items": communities})
    site_key = {"id": peer.url("/#main-key"), "owner": peer.url("/"), "publicKeyPem": peer.public_key}
    return peer.add(
        {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "type": "Feed",
            "id": url,
            "inbox": peer.url("/inbox"),
            "publicKey": site_key,
            "following": f"{url}/following",
            "preferredUsername": "reading",
            "name": "Reading",
            "description": "what I read",
            "attributedTo": owner,
        }
    )


def test_an_update_of_a_feed_from_its_server_changes_its_entries(server_factory):
    server = server_factory(**FAST)
    peer = Peer().start()
    try:
        reader = Api(server.base_url, make_admin(server).api.token, "/api/v4")
        owner = peer.person("owner")["id"]
        cats, dogs = peer.group("cats")["id"], peer.group("dogs")["id"]
        feed = _lemmy_feed(peer, owner, [cats, dogs])
        here = reader.get("/resolve_object", q=feed["id"])["multi"]
        assert here["communities"] == 2 and here["name"] == "reading"

        feed = _lemmy_feed(peer, owner, [dogs])
        feed["name"] = "Reading, fewer"
        update = {
            "id": peer.url(f"/activities/update/{uuid.uuid4()}"),
            "type": "Update",
            "actor": owner,
            "to": [feed["id"], PUBLIC],
            "object": {k: v for k, v in feed.items() if k != "@context"},
            "cc": [],
            "audience": feed["id"],
        }
        assert peer.send(f"{server.base_url}/inbox", update).status_code == 202
        assert settle(server)[update["id"]] == ("applied", None)
        shown = reader.get("/multi_community", id=here["id"])
        assert shown["multi_community_view"]["multi"]["title"] == "Reading, fewer"
        assert [c["community"]["ap_id"] for c in shown["communities"]] == [dogs]
    finally:
        peer.stop()


def test_a_followed_feed_sends_its_new_entries_to_the_followers_server(server_factory):
    """Lemmy 1.0's follow of a remote multi-community: a Follow of the Feed, accepted by its server, which then
    sends the owner's Update of the Feed when its entries change."""
    alpha, beta = server_factory(**FAST), server_factory(**FAST)
    owner, multi, _listed = _feed_with_two_communities(alpha)
    reader = Api(beta.base_url, make_admin(beta).api.token, "/api/v4")
    here = reader.get("/resolve_object", q=multi["ap_id"])["multi"]
    followed = reader.post("/multi_community/follow", {"multi_community_id": here["id"], "follow": True})
    assert followed["multi_community_view"]["follow_state"] == "pending"

    def state() -> str | None:
        return reader.get("/multi_community", id=here["id"])["multi_community_view"].get("follow_state")

    wait_for(lambda: state() == "accepted", message="the Feed's Accept")
    assert owner.get("/multi_community", id=multi["id"])["multi_community_view"]["multi"]["subscribers"] == 2

    birds = Api(alpha.base_url, owner.token).post("/community", {"name": "birds", "title": "Birds"})
    birds = birds["community_view"]["community"]
    owner.post("/multi_community/entry", {"id": multi["id"], "community_id": birds["id"]})
    owner.put("/multi_community", {"id": multi["id"], "title": "Pets and birds"})

    def shown() -> dict:
        return reader.get("/multi_community", id=here["id"])

    wait_for(lambda: shown()["multi_community_view"]["multi"]["title"] == "Pets and birds", message="the Update")
    assert birds["actor_id"] in {c["community"]["ap_id"] for c in shown()["communities"]}
    assert shown()["multi_community_view"]["multi"]["communities"] == 3

    reader.post("/multi_community/follow", {"multi_community_id": here["id"], "follow": False})
    wait_for(
        lambda: owner.get("/multi_community", id=multi["id"])["multi_community_view"]["multi"]["subscribers"] == 1,
        message="the Undo Follow",
    )


def test_a_feed_is_believed_only_from_its_own_server(server_factory):
    """A Feed owned by a person of another server is refused, and so is an Update of a Feed by a third server."""
    server = server_factory(**FAST)
    home, other = Peer().start(), Peer().start()
    try:
        reader = Api(server.base_url, make_admin(server).api.token, "/api/v4")
        cats = home.group("cats")["id"]
        stranger = _lemmy_feed(other, home.person("owner")["id"], [cats])
        refused = reader.request("GET", "/resolve_object", q=stranger["id"])
        assert refused.status_code == 400 and refused.json()["error"] == "resolve_object_failed"

        owner = home.person("owner")["id"]
        feed = _lemmy_feed(home, owner, [cats])
        here = reader.get("/resolve_object", q=feed["id"])["multi"]
        intruder = other.person("intruder")["id"]
        update = {
            "id": other.url(f"/activities/update/{uuid.uuid4()}"),
            "type": "Update",
            "actor": intruder,
            "to": [feed["id"], PUBLIC],
            "object": {**{k: v for k, v in feed.items() if k != "@context"}, "attributedTo": intruder},
        }
        _lemmy_feed(home, owner, [])  # what the Feed's server would answer, were the intruder believed
        assert other.send(f"{server.base_url}/inbox", update).status_code == 202
        state, reason = settle(server)[update["id"]]
        assert state != "applied" and "Feed" in (reason or ""), reason
        assert reader.get("/multi_community", id=here["id"])["multi_community_view"]["multi"]["communities"] == 1
    finally:
        home.stop()
        other.stop()
