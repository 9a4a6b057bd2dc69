"""A community moves between Agora servers over real HTTP: its followers, here and on a third server, follow the new
community, its moderators moderate it, its old address says where it went, and nothing more is posted in it. A
peer's community Move is checked as an account's is."""

from __future__ import annotations

import httpx
import pytest

from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api, Member

pytestmark = pytest.mark.federation


def _subscribed(member: Member, name: str) -> bool:
    found = member.api.request("GET", "/community", name=name)
    return found.status_code == 200 and found.json()["community_view"]["subscribed"] == "Subscribed"


def test_a_community_moves_to_another_agora_server_with_its_followers_and_moderators(server_factory):
    alpha, beta, gamma = server_factory(**FAST), server_factory(**FAST), server_factory(**FAST)
    a, b = alpha.settings.domain, beta.settings.domain
    carol = make_admin(alpha)
    old = carol.community("oldhome")["community"]
    alice = alpha.api().register("alice")
    alice.api.post("/community/follow", {"community_id": old["id"], "follow": True})
    bob = gamma.api().register("bob")
    bob_old = bob.api.get("/resolve_object", q=f"!oldhome@{a}")["community"]["community"]["id"]
    bob.api.post("/community/follow", {"community_id": bob_old, "follow": True})
    wait_for(lambda: _subscribed(bob, f"oldhome@{a}"), message="bob's follow accepted")

    dave = beta.api().register("dave")
    new = dave.community("newhome")["community"]
    # A plain member may not move it; the new community must list the old one first.
    assert alice.api.error("POST", "/community/move", {"community_id": old["id"], "target": f"!newhome@{b}"}) == (
        400,
        "not_top_mod",
    )
    body = {"community_id": old["id"], "target": f"!newhome@{b}"}
    assert carol.api.error("POST", "/community/move", body) == (400, "move_target_not_aliased")
    aliases = dave.api.post("/community/aliases", {"community_id": new["id"], "aliases": [f"!oldhome@{a}"]})
    assert aliases["also_known_as"] == [old["actor_id"]]

    moved = carol.api.post("/community/move", body)
    assert moved["moved_to"] == new["actor_id"]
    assert carol.api.error("POST", "/post", {"name": "too late", "community_id": old["id"]}) == (400, "community_moved")
    group = httpx.get(old["actor_id"], headers={"Accept": "application/activity+json"}).json()
    assert group["movedTo"] == new["actor_id"]
    page = httpx.get(f"{alpha.base_url}/c/oldhome", follow_redirects=False)
    assert page.status_code == 302 and page.headers["location"] == f"/c/newhome@{b}"

    # Followers here and on gamma follow the new community; the old moderator moderates it on beta.
    wait_for(lambda: _subscribed(alice, f"newhome@{b}"), timeout=30, message="alice follows the new community")
    wait_for(lambda: _subscribed(bob, f"newhome@{b}"), timeout=30, message="bob follows the new community")
    moderators = [m["moderator"]["actor_id"] for m in dave.api.get("/community", id=new["id"])["moderators"]]
    wait_for(
        lambda: (
            carol.api.get("/site")["my_user"]["local_user_view"]["person"]["actor_id"]
            in [m["moderator"]["actor_id"] for m in dave.api.get("/community", id=new["id"])["moderators"]]
        ),
        timeout=30,
        message="carol moderates the new community",
    )
    assert moderators[0].endswith("/u/dave")
    on_gamma = bob.api.get("/community/move", community_id=bob_old)
    assert on_gamma["moved_to"] == new["actor_id"]
    v4 = Api(gamma.base_url, bob.token, "/api/v4")
    assert v4.get("/community/move", community_id=bob_old)["moved_to_community_id"] is not None


def test_a_peer_community_move_is_checked_and_our_followers_follow_the_new_one(server_factory):
    server = server_factory(**FAST)
    home, new_home = Peer().start(), Peer().start()
    try:
        old = home.group("oldg")["id"]
        new = new_home.group("newg", alsoKnownAs=[old])["id"]
        plain = new_home.group("plain")["id"]
        member = server.api().register()
        old_id = member.api.get("/resolve_object", q=old)["community"]["community"]["id"]
        member.api.post("/community/follow", {"community_id": old_id, "follow": True})

        def move(target: str) -> dict:
            return {
                "id": home.url(f"/activities/move/{target[-5:]}"),
                "type": "Move",
                "actor": old,
                "object": old,
                "target": target,
            }

        refused = move(plain)
        assert home.send(f"{server.base_url}/inbox", refused).status_code == 202
        state, reason = settle(server)[refused["id"]]
        assert state == "failed" and "move_target_not_aliased" in reason
        accepted = move(new)
        assert home.send(f"{server.base_url}/inbox", accepted).status_code == 202
        assert settle(server)[accepted["id"]] == ("applied", None)
        assert member.api.get("/community/move", community_id=old_id)["moved_to"] == new
        follows = wait_for(
            lambda: [r["activity"] for r in new_home.received if r["activity"].get("type") == "Follow"],
            message="our member's Follow of the new community",
        )
        assert follows[0]["object"] == new and follows[0]["actor"].endswith(f"/u/{member.name}")
    finally:
        home.stop()
        new_home.stop()
