"""Account moves over real HTTP: an Agora member moves to another Agora server with what is theirs; a Move that
cannot be checked (signed by another host, or to an account that does not list the old one) changes nothing; and
a Mastodon-style Move from a peer marks the old account moved."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import PASSWORD, Api, Member

pytestmark = pytest.mark.federation


@pytest.fixture
def peers():
    started: list[Peer] = []

    def start() -> Peer:
        started.append(Peer().start())
        return started[-1]

    yield start
    for peer in started:
        peer.stop()


def _move_state(member: Member, person_id: int) -> dict:
    return member.api.get("/person/move", person_id=person_id)


def _resolved_person(member: Member, q: str) -> int:
    return member.api.get("/resolve_object", q=q)["person"]["person"]["id"]


def test_a_member_moves_to_another_agora_server_with_follows_blocks_and_saves(server_factory):
    alpha, beta = server_factory(**FAST), server_factory(**FAST)
    carol = make_admin(alpha)
    main = carol.community("main")["community"]
    noise = carol.community("noise")["community"]
    post = carol.post(main["id"], name="worth keeping")["post"]
    comment = carol.comment(post["id"], "a comment worth keeping")["comment"]
    spammer = alpha.api().register("spammer")
    alice = alpha.api().register("alice")
    alice.api.post("/community/follow", {"community_id": main["id"], "follow": True})
    followers = carol.api.get("/community", id=main["id"])["community_view"]["counts"]["subscribers"]
    alice.api.post("/community/block", {"community_id": noise["id"], "block": True})
    alice.api.post("/user/block", {"person_id": spammer.person_id, "block": True})
    alice.api.put("/post/save", {"post_id": post["id"], "save": True})
    alice.api.put("/comment/save", {"comment_id": comment["id"], "save": True})
    old_url = alice.api.get("/site")["my_user"]["local_user_view"]["person"]["actor_id"]

    # Moving to an account that does not list the old one is refused, and so is a wrong password.
    beta_domain = beta.settings.domain
    new = beta.api().register("alice")
    assert alice.api.error("POST", "/account/move", {"target": f"@alice@{beta_domain}", "password": PASSWORD}) == (
        400,
        "move_target_not_aliased",
    )
    assert alice.api.error("POST", "/account/aliases", {"aliases": ["not a url"]})[1] == "invalid_alias"
    aliases = new.api.post("/account/aliases", {"aliases": [f"@alice@{alpha.settings.domain}"]})
    assert aliases["also_known_as"] == [old_url]
    new_url = aliases["actor_id"]
    actor = httpx.get(new_url, headers={"Accept": "application/activity+json"}).json()
    assert actor["alsoKnownAs"] == [old_url]
    wrong = {"target": f"@alice@{beta_domain}", "password": "not the password"}
    assert alice.api.error("POST", "/account/move", wrong) == (401, "incorrect_login")

    moved = alice.api.post("/account/move", {"target": new_url, "password": PASSWORD})
    assert moved["moved_to"] == new_url
    assert alice.api.error("POST", "/account/move", {"target": new_url, "password": PASSWORD})[1] == "account_moved"
    assert alice.api.error("POST", "/post", {"name": "after the move", "community_id": main["id"]}) == (
        400,
        "account_moved",
    )
    assert alice.api.error("POST", "/comment", {"post_id": post["id"], "content": "no"})[1] == "account_moved"
    old_actor = httpx.get(old_url, headers={"Accept": "application/activity+json"}).json()
    assert old_actor["movedTo"] == new_url

    # On beta the new account follows, saves and blocks what the old one did; the old account shows as moved.
    beta_main = wait_for(
        lambda: (
            new.api.get("/community", name=f"main@{alpha.settings.domain}")["community_view"]["subscribed"]
            == "Subscribed"
        ),
        timeout=30,
        message="the new account's follow of main, accepted",
    )
    assert beta_main
    saved = new.api.get("/post/list", saved_only=True, type_="All")["posts"]
    assert [p["post"]["ap_id"] for p in saved] == [post["ap_id"]]
    saved_comments = new.api.get("/comment/list", saved_only=True, type_="All")["comments"]
    assert [c["comment"]["ap_id"] for c in saved_comments] == [comment["ap_id"]]
    my_user = new.api.get("/site")["my_user"]
    assert [b["target"]["actor_id"] for b in my_user["person_blocks"]] == [f"http://{alpha.settings.domain}/u/spammer"]
    assert [b["community"]["actor_id"] for b in my_user["community_blocks"]] == [noise["actor_id"]]
    old_on_beta = _resolved_person(new, old_url)
    assert _move_state(new, old_on_beta)["moved_to"] == new_url
    assert _move_state(new, old_on_beta)["moved_to_person_id"] == new.person_id
    v4 = Api(beta.base_url, new.token, "/api/v4")
    assert v4.get("/person/move", person_id=old_on_beta)["moved_to"] == new_url
    # And on alpha, main has the new account among its followers.
    wait_for(
        lambda: carol.api.get("/community", id=main["id"])["community_view"]["counts"]["subscribers"] == followers + 1,
        message="main followed by alice and her new account",
    )


def _mover(peer: Peer, server, admin: Member) -> tuple[str, int]:
    """A peer's person our server knows (an admin looked them up)."""
    url = peer.person("mover")["id"]
    return url, _resolved_person(admin, url)


def _move(peer: Peer, old: str, new: str, **extra) -> dict:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{old}#moves/{uuid.uuid4().int % 1000}",
        "type": "Move",
        "actor": old,
        "object": old,
        "target": new,
        **extra,
    }


def test_a_move_that_cannot_be_checked_changes_nothing(server_factory, peers):
    server = server_factory(**FAST)
    admin = make_admin(server)
    home, other = peers(), peers()
    old, old_id = _mover(home, server, admin)

    # To an account that does not list the old one: refused, whatever the Move says.
    unlisted = home.person("unlisted")["id"]
    move = _move(home, old, unlisted, alsoKnownAs=[old])
    assert home.send(f"{server.base_url}/inbox", move).status_code == 202
    state, reason = settle(server)[move["id"]]
    assert state == "failed" and "move_target_not_aliased" in reason
    # Signed by another host: refused at the door.
    elsewhere = other.person("newhome", alsoKnownAs=[old])["id"]
    forged = _move(home, old, elsewhere)
    assert other.send(f"{server.base_url}/inbox", forged, actor=elsewhere).status_code == 401
    assert _move_state(admin, old_id)["moved_to"] is None
    # A Move claiming another account moved: only an account moves itself.
    someone = _resolved_person(admin, home.person("someone")["id"])
    sideways = _move(home, old, elsewhere, object=home.url("/u/someone"))
    assert home.send(f"{server.base_url}/inbox", sideways).status_code == 202
    assert settle(server)[sideways["id"]][0] == "failed"
    assert _move_state(admin, someone)["moved_to"] is None


def test_a_mastodon_move_from_a_peer_marks_the_old_account_moved(server_factory, peers):
    server = server_factory(**FAST)
    admin = make_admin(server)
    home, new_home = peers(), peers()
    old, old_id = _mover(home, server, admin)
    new = new_home.person("mover", path="/users/mover", alsoKnownAs=[old])["id"]
    move = _move(home, old, new)
    assert home.send(f"{server.base_url}/inbox", move).status_code == 202
    assert settle(server)[move["id"]] == ("applied", None)
    state = _move_state(admin, old_id)
    assert state["moved_to"] == new
    assert state["moved_to_person_id"] == _resolved_person(admin, new)
    page = httpx.get(f"{server.base_url}/u/mover@{home.domain}").text
    assert "This account has moved to" in page and new in page
    # Applying it again changes nothing.
    again = _move(home, old, new)
    assert home.send(f"{server.base_url}/inbox", again).status_code == 202
    assert settle(server)[again["id"]] == ("applied", None)


def test_aliases_and_moves_ask_for_a_login_and_a_reachable_target(server):
    member = Api(server.base_url).register()
    assert Api(server.base_url).error("POST", "/account/aliases", {"aliases": []})[0] == 401
    answer = member.api.get("/account/aliases")
    assert answer["also_known_as"] == [] and answer["moved_to"] is None
    unreachable = {"target": "@nobody@127.0.0.1:9", "password": PASSWORD}
    assert member.api.error("POST", "/account/move", unreachable) == (400, "move_target_unreachable")
    assert member.api.error(
        "POST", "/account/move", {"target": f"@{member.name}@{server.settings.domain}", "password": PASSWORD}
    ) == (400, "invalid_move_target")


def test_an_actor_that_says_it_moved_shows_as_moved_once_the_new_one_lists_it(server_factory, peers):
    server = server_factory(**FAST)
    admin = make_admin(server)
    home, new_home = peers(), peers()
    new = new_home.person("wanderer", path="/users/wanderer", alsoKnownAs=[home.url("/users/wanderer")])["id"]
    old = home.person("wanderer", path="/users/wanderer", movedTo=new)["id"]
    assert _move_state(admin, _resolved_person(admin, old))["moved_to"] == new
    # An actor whose movedTo names an account that does not list it is stored, and not moved.
    stranger = new_home.person("stranger", path="/users/stranger")["id"]
    claimer = home.person("claimer", path="/users/claimer", movedTo=stranger)["id"]
    assert _move_state(admin, _resolved_person(admin, claimer))["moved_to"] is None
