"""Updates from peers keep edit history as local edits do: a signed Update of a post, comment or private message
records the version it replaced, with the remote author as the one who edited."""

from __future__ import annotations

import uuid

import pytest

from tests.federation.conftest import FAST, settle
from tests.federation.peer import Peer
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _activity(peer: Peer, kind: str, actor: str, obj: dict) -> dict:
    return {"id": peer.url(f"/activities/{kind.lower()}/{uuid.uuid4()}"), "type": kind, "actor": actor, "object": obj}


def _announced(peer: Peer, group: dict, inner: dict) -> dict:
    return {
        **_activity(peer, "Announce", group["id"], inner),
        "to": [PUBLIC],
        "cc": [f"{group['id']}/followers"],
    }


def _applied(server, peer: Peer, activity: dict) -> None:
    assert peer.send(f"{server.base_url}/inbox", activity).status_code == 202
    assert settle(server)[activity["id"]] == ("applied", None)


@pytest.fixture
def scene(server_factory):
    """A peer community followed by a member here."""
    server = server_factory(**FAST)
    peer = Peer().start()
    make_admin(server)
    group = peer.group("news")
    member = server.api().register()
    community_id = member.api.get("/resolve_object", q=group["id"])["community"]["community"]["id"]
    member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    yield server, peer, group, member
    peer.stop()


def test_a_peers_update_of_a_post_and_a_comment_keeps_the_old_versions(scene):
    server, peer, group, member = scene
    author = peer.person("alice")["id"]
    page = {
        "id": peer.url("/post/1"),
        "type": "Page",
        "attributedTo": author,
        "to": [group["id"], PUBLIC],
        "audience": group["id"],
        "name": "Old title",
        "content": "<p>old body</p>",
        "mediaType": "text/html",
        "source": {"content": "old body", "mediaType": "text/markdown"},
        "published": "2024-05-01T00:00:00Z",
    }
    _applied(server, peer, _announced(peer, group, _activity(peer, "Create", author, page)))
    post_id = member.api.get("/resolve_object", q=page["id"])["post"]["post"]["id"]
    note = {
        "id": peer.url("/comment/1"),
        "type": "Note",
        "attributedTo": author,
        "inReplyTo": page["id"],
        "to": [PUBLIC],
        "cc": [group["id"]],
        "audience": group["id"],
        "content": "<p>first thought</p>",
        "mediaType": "text/html",
        "source": {"content": "first thought", "mediaType": "text/markdown"},
        "published": "2024-05-01T00:01:00Z",
    }
    _applied(server, peer, _announced(peer, group, _activity(peer, "Create", author, note)))
    comment_id = member.api.get("/resolve_object", q=note["id"])["comment"]["comment"]["id"]

    edited_page = {
        **page,
        "name": "New title",
        "content": "<p>new body</p>",
        "source": {"content": "new body", "mediaType": "text/markdown"},
        "updated": "2024-05-02T00:00:00Z",
    }
    _applied(server, peer, _announced(peer, group, _activity(peer, "Update", author, edited_page)))
    edited_note = {
        **note,
        "content": "<p>second thought</p>",
        "source": {"content": "second thought", "mediaType": "text/markdown"},
        "updated": "2024-05-02T00:00:00Z",
    }
    _applied(server, peer, _announced(peer, group, _activity(peer, "Update", author, edited_note)))

    versions = member.api.get("/post/history", post_id=post_id)["versions"]
    assert [(v["name"], v["body"]) for v in versions] == [("Old title", "old body")]
    assert versions[0]["edited_by"]["actor_id"] == author and versions[0]["edited_by"]["local"] is False
    assert member.api.get("/post", id=post_id)["post_view"]["post"]["name"] == "New title"
    found = member.api.get("/comment/history", comment_id=comment_id)["versions"]
    assert [(v["body"], v["edited_by"]["actor_id"]) for v in found] == [("first thought", author)]

    # The same Update again changes nothing visible: no second version.
    again = _announced(peer, group, _activity(peer, "Update", author, edited_page))
    _applied(server, peer, again)
    assert len(member.api.get("/post/history", post_id=post_id)["versions"]) == 1


def test_a_peers_update_of_a_private_message_keeps_the_old_text(scene):
    server, peer, _group, member = scene
    author = peer.person("bob")["id"]
    me = member.api.get("/site")["my_user"]["local_user_view"]["person"]["actor_id"]
    message = {
        "id": peer.url("/private_message/1"),
        "type": "ChatMessage",
        "attributedTo": author,
        "to": [me],
        "content": "<p>hi there</p>",
        "mediaType": "text/html",
        "source": {"content": "hi there", "mediaType": "text/markdown"},
        "published": "2024-05-01T00:00:00Z",
    }
    _applied(server, peer, {**_activity(peer, "Create", author, message), "to": [me]})
    edited = {**message, "content": "<p>hello</p>", "source": {"content": "hello", "mediaType": "text/markdown"}}
    _applied(server, peer, {**_activity(peer, "Update", author, edited), "to": [me]})
    message_id = member.api.get("/private_message/list")["private_messages"][0]["private_message"]["id"]
    found = member.api.get("/private_message/history", private_message_id=message_id)["versions"]
    assert [(v["body"], v["edited_by"]["actor_id"]) for v in found] == [("hi there", author)]
