"""A member's two blocks of an instance through API v4: of its persons (what they write leaves the member's post
and comment listings, in every community) and of its communities (v3's /site/block, the same row)."""

import uuid

import pytest

from tests.api.v4.conftest import V4Member
from tests.federation.conftest import FAST, settle
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import PASSWORD, Api, unique_name

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@pytest.fixture
def world(server_factory):
    """A server with a local community holding a post and a comment by a peer's person, and a local post."""
    server = server_factory(**FAST)
    peer = Peer().start()
    admin = make_admin(server)
    community = admin.community()["community"]
    local_post = admin.post(community["id"], name="local words")["post"]
    remote = peer.person("remote")["id"]
    page = {"id": peer.url("/post/1"), "type": "Page", "attributedTo": remote, "name": "remote words"}
    note = {"id": peer.url("/comment/1"), "type": "Note", "attributedTo": remote, "inReplyTo": local_post["ap_id"]}
    for thing in (page, note):
        thing.update(to=[community["actor_id"], PUBLIC], audience=community["actor_id"], content="<p>remote</p>")
        create = {
            "id": peer.url(f"/activities/create/{uuid.uuid4()}"),
            "type": "Create",
            "actor": remote,
            "object": thing,
            "to": [PUBLIC],
            "cc": [community["actor_id"]],
        }
        peer.send(f"{server.base_url}/inbox", create)
        assert settle(server)[create["id"]] == ("applied", None)
    yield server, peer, community, local_post
    peer.stop()


def titles(member: V4Member) -> set[str]:
    return {p["post"]["name"] for p in member.api.get("/post/list", type_="all", limit=50)["items"]}


def commenters(member: V4Member, post_id: int) -> set[str]:
    return {c["creator"]["name"] for c in member.api.get("/comment/list", post_id=post_id)["items"]}


def searched(member: V4Member, q: str) -> set[str]:
    found = member.api.get("/search", search_term=q, type_="posts", listing_type="all")["posts"]
    return {item["post"]["name"] for item in found}


def register(server) -> V4Member:
    v4, name = Api(server.base_url, prefix="/api/v4"), unique_name()
    v4.post("/account/auth/register", {"username": name, "password": PASSWORD, "password_verify": PASSWORD})
    return V4Member(v4, name)


def test_blocking_an_instances_persons_hides_what_they_write_everywhere(world):
    server, _peer, _community, local_post = world
    member, other = register(server), register(server)
    assert titles(member) == {"local words", "remote words"}
    assert commenters(member, local_post["id"]) == {"remote"}
    remote_post = next(p for p in member.api.get("/post/list", type_="all")["items"] if p["creator"]["local"] is False)
    instance_id = remote_post["creator"]["instance_id"]
    block = {"instance_id": instance_id, "block": True}
    assert member.api.post("/account/block/instance/persons", block) == {"success": True}
    assert member.api.post("/account/block/instance/persons", block) == {"success": True}  # again: no change
    assert titles(member) == {"local words"}
    assert commenters(member, local_post["id"]) == set()
    assert searched(member, "words") == {"local words"}
    assert searched(other, "words") == {"local words", "remote words"}
    v3 = Api(server.base_url).as_(member.api.token)
    assert [p["post"]["name"] for p in v3.get("/post/list", type_="All")["posts"]] == ["local words"]
    mine = member.api.get("/account")
    assert [i["id"] for i in mine["instance_persons_blocks"]] == [instance_id]
    assert mine["instance_communities_blocks"] == []
    assert titles(other) == {"local words", "remote words"}  # the block is the member's alone
    member.api.post("/account/block/instance/persons", {"instance_id": instance_id, "block": False})
    assert titles(member) == {"local words", "remote words"}
    assert commenters(member, local_post["id"]) == {"remote"}
    assert member.api.get("/account")["instance_persons_blocks"] == []


def test_a_member_who_blocks_an_instances_persons_is_not_notified_of_their_replies(world):
    server, peer, community, _local_post = world
    blocking, open_ = register(server), register(server)
    remote = peer.person("remote")["id"]
    for member in (blocking, open_):
        mine = member.post(community["id"], name=f"asking {member.name}")["post"]
        if member is blocking:
            instance_id = member.api.get("/post", id=mine["id"])["post_view"]["creator"]["instance_id"]
            remote_post = next(
                p for p in member.api.get("/post/list", type_="all")["items"] if not p["creator"]["local"]
            )
            block = {"instance_id": remote_post["creator"]["instance_id"], "block": True}
            assert block["instance_id"] != instance_id
            assert member.api.post("/account/block/instance/persons", block) == {"success": True}
        note = {
            "id": peer.url(f"/comment/{uuid.uuid4()}"),
            "type": "Note",
            "attributedTo": remote,
            "inReplyTo": mine["ap_id"],
            "to": [community["actor_id"], PUBLIC],
            "audience": community["actor_id"],
            "content": f"<p>a reply to {member.name}</p>",
        }
        create = {
            "id": peer.url(f"/activities/create/{uuid.uuid4()}"),
            "type": "Create",
            "actor": remote,
            "object": note,
            "to": [PUBLIC],
            "cc": [community["actor_id"]],
        }
        peer.send(f"{server.base_url}/inbox", create)
        assert settle(server)[create["id"]] == ("applied", None)

    def replies(member: V4Member) -> list[str]:
        items = member.api.get("/account/notification/list", type_="reply")["items"]
        return [item["data"]["comment"]["content"] for item in items]

    assert replies(open_) == [f"a reply to {open_.name}"]
    assert replies(blocking) == []


def test_blocking_an_instances_communities_is_v3s_instance_block(world):
    server, _peer, _community, _local_post = world
    member = register(server)
    remote_post = next(p for p in member.api.get("/post/list", type_="all")["items"] if p["creator"]["local"] is False)
    instance_id = remote_post["creator"]["instance_id"]
    block = {"instance_id": instance_id, "block": True}
    assert member.api.post("/account/block/instance/communities", block) == {"success": True}
    # the persons of that instance still show in a community of another instance
    assert titles(member) == {"local words", "remote words"}
    assert [i["id"] for i in member.api.get("/account")["instance_communities_blocks"]] == [instance_id]
    v3 = Api(server.base_url).as_(member.api.token)
    assert [i["instance"]["id"] for i in v3.get("/site")["my_user"]["instance_blocks"]] == [instance_id]
    v3.post("/site/block", {"instance_id": instance_id, "block": False})
    assert member.api.get("/account")["instance_communities_blocks"] == []
    assert member.api.get("/account")["instance_persons_blocks"] == []


@pytest.mark.parametrize("route", ["/account/block/instance/communities", "/account/block/instance/persons"])
def test_bad_blocks_are_refused(server, route):
    member = register(server)
    here = Api(server.base_url).get("/site")["site_view"]["site"]["instance_id"]
    assert member.api.error("POST", route, {"instance_id": here, "block": True}) == (400, "cant_block_local_instance")
    assert member.api.error("POST", route, {"instance_id": 999_999, "block": True})[0] == 400
    assert member.api.error("POST", route, {"instance_id": "x", "block": True})[0] == 400
    anonymous = Api(server.base_url, prefix="/api/v4")
    assert anonymous.error("POST", route, {"instance_id": here, "block": True}) == (401, "incorrect_login")


def test_a_settings_backup_keeps_the_two_blocks_apart(world):
    server, peer, _community, _local_post = world
    member, heir = register(server), register(server)
    remote_post = next(p for p in member.api.get("/post/list", type_="all")["items"] if p["creator"]["local"] is False)
    block = {"instance_id": remote_post["creator"]["instance_id"], "block": True}
    member.api.post("/account/block/instance/persons", block)
    backup = member.api.get("/account/settings/export")
    domain = member.api.get("/account")["instance_persons_blocks"][0]["domain"]
    assert backup["blocked_instances_persons"] == [domain] and peer.domain.startswith(domain)
    assert backup["blocked_instances_communities"] == []
    assert heir.api.post("/account/settings/import", backup) == {"success": True}
    mine = heir.api.get("/account")
    assert [i["id"] for i in mine["instance_persons_blocks"]] == [block["instance_id"]]
    assert mine["instance_communities_blocks"] == []
    assert titles(heir) == {"local words"}
