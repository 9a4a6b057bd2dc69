"""The life of federated things: stale actors are refetched, profiles and deleted accounts go out to every
instance, a server's ban of its own member holds here, a member's instance block hides that instance, and old
activities are forgotten without the queue losing its place."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from agora.db.models import ReceivedActivity, SentActivity
from agora.federation import inbox, queue
from agora.jobs import federation as federation_jobs
from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api

pytestmark = pytest.mark.federation


@pytest.fixture
def peer():
    started = Peer().start()
    yield started
    started.stop()


def _follow(peer: Peer, server, community: dict, username: str = "remote", **profile) -> dict:
    actor = peer.person(username, **profile)
    follow = {
        "id": peer.url(f"/activities/follow/{uuid.uuid4()}"),
        "type": "Follow",
        "actor": actor["id"],
        "object": community["actor_id"],
    }
    assert peer.send(f"{server.base_url}/inbox", follow).status_code == 202
    settle(server)
    return actor


def _age(server, delta: timedelta) -> None:
    """Timestamps only (as tests/support/clock.py): the API has no way to backdate, by design."""

    async def run():
        async with server.state.db.write() as session:
            for model, column in ((SentActivity, "published"), (ReceivedActivity, "received")):
                for row_id, at in (await session.execute(select(model.id, getattr(model, column)))).all():
                    await session.execute(update(model).where(model.id == row_id).values({column: at - delta}))

    server.run(run)


def _count(server, model) -> int:
    async def run():
        async with server.state.db.read() as session:
            return (await session.execute(select(func.count()).select_from(model))).scalar_one()

    return server.run(run)


def test_a_stale_actor_is_refetched_when_it_acts_again(server_factory, peer):
    server = server_factory(**{**FAST, "federation_actor_refresh_seconds": 1})
    admin = make_admin(server)
    community = admin.community("main")["community"]
    _follow(peer, server, community, "changing", name="Old Name")  # `name`: the display name
    person_id = admin.api.get("/resolve_object", q=peer.url("/u/changing"))["person"]["person"]["id"]
    peer.person("changing", name="New Name")
    time.sleep(1.5)  # older than AGORA_FEDERATION_ACTOR_REFRESH_SECONDS now
    post = admin.post(community["id"], name="liked")["post"]
    like = {
        "id": peer.url(f"/activities/like/{uuid.uuid4()}"),
        "type": "Like",
        "actor": peer.url("/u/changing"),
        "object": post["ap_id"],
    }
    assert peer.send(f"{server.base_url}/inbox", like).status_code == 202
    settle(server)
    assert admin.api.get("/user", person_id=person_id)["person_view"]["person"]["display_name"] == "New Name"


def test_profile_edits_and_account_deletion_reach_every_instance(server_factory, peer):
    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("main")["community"]
    _follow(peer, server, community)
    member = Api(server.base_url).register("leaving")
    member.api.put("/user/save_user_settings", {"bio": "I was here"})
    member.api.post("/user/delete_account", {"password": "correct horse battery", "delete_content": True})
    wait_for(lambda: [r["activity"]["type"] for r in peer.received][-2:] == ["Update", "Delete"], message="both")
    update_, delete_ = (r["activity"] for r in peer.received[-2:])
    assert update_["object"]["type"] == "Person" and update_["object"]["source"]["content"] == "I was here"
    assert delete_["object"] == delete_["actor"] == update_["object"]["id"] and delete_["removeData"] is True


def test_a_servers_ban_of_its_own_member_holds_here(server_factory, peer):
    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("main")["community"]
    spammer = _follow(peer, server, community, "spammer")
    peer.person("admin")
    block = {
        "id": peer.url(f"/activities/block/{uuid.uuid4()}"),
        "type": "Block",
        "actor": peer.url("/u/admin"),
        "object": spammer["id"],
        "target": peer.url("/"),
        "summary": "spam",
    }
    assert peer.send(f"{server.base_url}/inbox", block).status_code == 202
    assert settle(server)[block["id"]] == ("applied", None)
    person_id = admin.api.get("/resolve_object", q=spammer["id"])["person"]["person"]["id"]
    assert admin.api.get("/user", person_id=person_id)["person_view"]["person"]["banned"] is True
    post = admin.post(community["id"], name="no spam please")["post"]
    like = {
        "id": peer.url(f"/activities/like/{uuid.uuid4()}"),
        "type": "Like",
        "actor": spammer["id"],
        "object": post["ap_id"],
    }
    peer.send(f"{server.base_url}/inbox", like)
    state, reason = settle(server)[like["id"]]
    assert state == "failed" and "site_ban" in reason
    other_server_ban = {**block, "id": peer.url(f"/activities/block/{uuid.uuid4()}"), "target": f"{server.base_url}/"}
    peer.send(f"{server.base_url}/inbox", other_server_ban)
    assert settle(server)[other_server_ban["id"]][0] == "failed"  # a peer cannot ban from our site


def test_a_member_who_blocks_an_instance_no_longer_sees_it(server_factory):
    alpha, beta = server_factory(**FAST), server_factory(**FAST)
    owner = alpha.api().register("owner")
    community = owner.community("main")["community"]
    reader = beta.api().register("reader")
    found = reader.api.get("/resolve_object", q=f"!main@{alpha.settings.domain}")["community"]
    reader.api.post("/community/follow", {"community_id": found["community"]["id"], "follow": True})
    wait_for(
        lambda: (
            reader.api.get("/community", id=found["community"]["id"])["community_view"]["subscribed"] == "Subscribed"
        )
    )
    owner.post(community["id"], name="from alpha")
    wait_for(lambda: reader.api.get("/post/list", type_="All")["posts"], message="the post on beta")
    assert reader.api.get("/post/list", type_="Subscribed")["posts"]
    reader.api.post("/site/block", {"instance_id": found["community"]["instance_id"], "block": True})
    assert reader.api.get("/post/list", type_="All")["posts"] == []
    assert reader.api.get("/post/list", type_="Subscribed")["posts"] == []
    assert beta.api().get("/post/list", type_="All")["posts"]  # others still see it


def test_old_activities_are_forgotten_and_the_queue_keeps_its_place(server_factory, peer):
    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("main")["community"]
    _follow(peer, server, community)
    for n in range(3):
        admin.post(community["id"], name=f"old {n}")
    # Each post goes out twice: Announce { Create { Page } }, then Announce { Page } for microblogs.
    wait_for(lambda: len(peer.received) == 7, message="the Accept and three posts")
    _age(server, timedelta(days=8))
    assert server.run(lambda: queue.forget_delivered(server.state)) == 6  # the newest row stays
    assert server.run(lambda: inbox.forget_old(server.state)) == 1
    assert _count(server, SentActivity) == 1 and _count(server, ReceivedActivity) == 0
    admin.post(community["id"], name="new")
    wait_for(lambda: len(peer.received) == 9, message="the next post")
    assert peer.received[-2]["activity"]["object"]["object"]["name"] == "new"
    assert peer.received[-1]["activity"]["object"]["name"] == "new"


def test_a_remote_moderators_distinguished_comment_stays_distinguished(server_factory, peer):
    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("main")["community"]
    post = admin.post(community["id"], name="announcement")["post"]
    moderator = _follow(peer, server, community, "remote_mod")
    person_id = admin.api.get("/resolve_object", q=moderator["id"])["person"]["person"]["id"]
    admin.api.post("/community/mod", {"community_id": community["id"], "person_id": person_id, "added": True})
    outsider = _follow(peer, server, community, "outsider")
    for author, ap_id in ((moderator, "by-mod"), (outsider, "by-outsider")):
        note = {
            "id": peer.url(f"/comment/{ap_id}"),
            "type": "Note",
            "attributedTo": author["id"],
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [community["actor_id"]],
            "audience": community["actor_id"],
            "inReplyTo": post["ap_id"],
            "content": f"<p>{ap_id}</p>",
            "distinguished": True,
        }
        create = {
            "id": peer.url(f"/activities/create/{uuid.uuid4()}"),
            "type": "Create",
            "actor": author["id"],
            "object": note,
            "to": note["to"],
            "cc": note["cc"],
        }
        assert peer.send(f"{server.base_url}/c/main/inbox", create).status_code == 202
        assert settle(server)[create["id"]] == ("applied", None)
    found = {
        c["comment"]["content"]: c["comment"]["distinguished"]
        for c in admin.api.get("/comment/list", post_id=post["id"])["comments"]
    }
    assert found == {"by-mod": True, "by-outsider": False}  # only a moderator's flag counts


def test_an_instances_software_is_learnt_from_its_nodeinfo(server_factory, peer):
    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("main")["community"]
    _follow(peer, server, community)
    peer.documents["/.well-known/nodeinfo"] = {
        "links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": peer.url("/nodeinfo/2.1")}]
    }
    peer.documents["/nodeinfo/2.1"] = {"version": "2.1", "software": {"name": "lemmy", "version": "0.19.5"}}
    server.run(lambda: federation_jobs.learn_software(server.state))
    [linked] = admin.api.get("/federated_instances")["federated_instances"]["linked"]
    assert (linked["domain"], linked["software"], linked["version"]) == (peer.domain, "lemmy", "0.19.5")
