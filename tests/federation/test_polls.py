"""Polls between servers: a PieFed- or Mastodon-shaped Question arrives as a poll post with its counts, our members'
votes go to the poll's server as Mastodon's Notes, its Updates bring new counts; votes from other servers count
on our polls, whose new counts go out as an Update{Question}. Between two Agora servers it all goes both ways."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AP = {"Accept": "application/activity+json"}


def _activity(peer: Peer, kind: str, actor: str, obj, **extra) -> dict:
    return {
        "id": peer.url(f"/activities/{kind.lower()}/{uuid.uuid4()}"),
        "type": kind,
        "actor": actor,
        "object": obj,
        **extra,
    }


def _choices(names_counts, key="oneOf"):
    return {
        key: [{"type": "Note", "name": n, "replies": {"type": "Collection", "totalItems": c}} for n, c in names_counts]
    }


@pytest.fixture
def scene(server_factory):
    """A peer community followed by a member here, and that member."""
    server = server_factory(**FAST)
    peer = Peer().start()
    admin = make_admin(server)
    group = peer.group("polls")
    member = server.api().register()
    community_id = member.api.get("/resolve_object", q=group["id"])["community"]["community"]["id"]
    member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    yield server, peer, group, member, admin
    peer.stop()


def _piefed_question(peer: Peer, group: dict, counts=(3, 1), **extra) -> dict:
    """As PieFed writes a poll: no `name`, the title as the first paragraph of the content."""
    author = peer.person("alice")["id"]
    return {
        "id": peer.url("/post/7"),
        "type": "Question",
        "attributedTo": author,
        "to": [group["id"], PUBLIC],
        "cc": [],
        "audience": group["id"],
        "content": "<p>Best editor?</p><p>Say why below.</p>",
        "mediaType": "text/html",
        "source": {"content": "Say why below.", "mediaType": "text/markdown"},
        "endTime": "2099-01-01T00:00:00Z",
        "votersCount": sum(counts),
        "published": "2024-05-01T00:00:00Z",
        **_choices(zip(("vim", "emacs"), counts, strict=True)),
        **extra,
    }


def _announced(peer: Peer, group: dict, inner: dict) -> dict:
    return _activity(peer, "Announce", group["id"], inner, to=[PUBLIC], cc=[f"{group['id']}/followers"])


def _votes_received(peer: Peer) -> list[dict]:
    return [
        r["activity"]
        for r in peer.received
        if r["activity"]["type"] == "Create" and r["activity"]["object"].get("type") == "Note"
    ]


def test_a_piefed_poll_arrives_takes_our_vote_and_its_new_counts(scene):
    server, peer, group, member, _admin = scene
    question = _piefed_question(peer, group)
    create = _announced(peer, group, _activity(peer, "Create", question["attributedTo"], question))
    peer.send(f"{server.base_url}/inbox", create)
    assert settle(server)[create["id"]] == ("applied", None)
    post_id = member.api.get("/resolve_object", q=question["id"])["post"]["post"]["id"]
    view = member.api.get("/post", id=post_id)["post_view"]
    assert (view["post"]["name"], view["post"]["body"]) == ("Best editor?", "Say why below.")
    poll = view["poll"]
    assert [(c["name"], c["votes"]) for c in poll["choices"]] == [("vim", 3), ("emacs", 1)]
    assert (poll["multiple"], poll["voters"], poll["end_time"][:10]) == (False, 4, "2099-01-01")

    emacs = poll["choices"][1]["id"]
    voted = member.api.post("/agora/poll/vote", {"post_id": post_id, "choice_ids": [emacs]})["post_view"]["poll"]
    assert [c["votes"] for c in voted["choices"]] == [3, 2] and voted["my_choices"] == [emacs]
    vote = wait_for(lambda: _votes_received(peer), message="the vote at the poll's server")[0]
    note = vote["object"]
    assert note["type"] == "Note" and note["name"] == "emacs" and note["inReplyTo"] == question["id"]
    assert note["to"] == [question["attributedTo"]] and vote["to"] == [question["attributedTo"]]
    assert "content" not in note and "published" not in note  # PieFed tells a vote from a reply by these
    assert note["attributedTo"] == vote["actor"] and vote["actor"].endswith(f"/u/{member.name}")
    paths = {r["path"] for r in peer.received if r["activity"]["id"] == vote["id"]}
    assert paths == {"/inbox"}  # the author's (shared) inbox, not the community's

    counted = _piefed_question(peer, group, counts=(3, 5))
    update = _announced(peer, group, _activity(peer, "Update", counted["attributedTo"], counted))
    peer.send(f"{server.base_url}/inbox", update)
    assert settle(server)[update["id"]] == ("applied", None)
    after = member.api.get("/post", id=post_id)["post_view"]
    assert [c["votes"] for c in after["poll"]["choices"]] == [3, 5] and after["poll"]["voters"] == 8
    assert after["poll"]["my_choices"] == [emacs]
    assert after["post"].get("updated") is None  # new counts do not make the post "edited"


def test_a_mastodon_poll_takes_several_choices_each_sent_as_a_note(scene):
    server, peer, group, member, _admin = scene
    author = peer.person("bob", "/users/bob")["id"]
    question = {
        "id": peer.url("/users/bob/statuses/1"),
        "type": "Question",
        "attributedTo": author,
        "to": [PUBLIC],
        "cc": [f"{author}/followers", group["id"]],
        "tag": [{"type": "Mention", "href": group["id"], "name": "@polls"}],
        "content": "<p>Tabs or spaces?</p>",
        "endTime": "2099-01-01T00:00:00Z",
        "votersCount": 2,
        "published": "2024-05-01T00:00:00Z",
        **_choices([("tabs", 1), ("spaces", 2), ("both", 0)], "anyOf"),
    }
    create = _activity(peer, "Create", author, question, to=[PUBLIC], cc=[group["id"]])
    peer.send(f"{server.base_url}/inbox", create)
    assert settle(server)[create["id"]] == ("applied", None)
    post_id = member.api.get("/resolve_object", q=question["id"])["post"]["post"]["id"]
    view = member.api.get("/post", id=post_id)["post_view"]
    assert view["post"]["name"] == "Tabs or spaces?" and view["post"].get("body") is None
    poll = view["poll"]
    assert (poll["multiple"], poll["voters"], [c["votes"] for c in poll["choices"]]) == (True, 2, [1, 2, 0])
    tabs, _spaces, both = (c["id"] for c in poll["choices"])
    member.api.post("/agora/poll/vote", {"post_id": post_id, "choice_ids": [tabs, both]})
    votes = wait_for(lambda: len(_votes_received(peer)) == 2 and _votes_received(peer), message="two votes")
    assert sorted(v["object"]["name"] for v in votes) == ["both", "tabs"]
    assert len({v["id"] for v in votes}) == 2 and all(v["object"]["inReplyTo"] == question["id"] for v in votes)


def test_votes_from_other_servers_count_on_our_poll_and_its_counts_go_out(scene):
    server, peer, _group, _member, admin = scene
    community = admin.community("ours")["community"]
    body = {"name": "Lunch?", "community_id": community["id"], "poll": {"choices": ["soup", "salad"]}}
    created = admin.api.post("/post", body)["post_view"]
    post_id, ap_id = created["post"]["id"], created["post"]["ap_id"]
    served = httpx.get(ap_id, headers=AP).json()
    assert served["type"] == "Question" and served["name"] == "Lunch?" and served["content"].startswith("<p>Lunch?")
    assert [(c["name"], c["replies"]["totalItems"]) for c in served["oneOf"]] == [("soup", 0), ("salad", 0)]
    assert served["votersCount"] == 0 and served["endTime"] and "closed" not in served

    mastodon = peer.person("carol", "/users/carol")["id"]
    note = {
        "id": f"{mastodon}#votes/1",
        "type": "Note",
        "name": "salad",
        "attributedTo": mastodon,
        "to": [created["creator"]["actor_id"]],
        "inReplyTo": ap_id,
    }
    vote = {"id": f"{mastodon}#votes/1/activity", "type": "Create", "actor": mastodon, "to": note["to"], "object": note}
    peer.send(f"{server.base_url}/u/{created['creator']['name']}/inbox", vote)
    piefed = peer.person("dave")["id"]
    poll_vote = _activity(peer, "PollVote", piefed, ap_id, choice_text="soup", audience=community["actor_id"])
    peer.send(f"{server.base_url}/c/ours/inbox", poll_vote)
    states = settle(server)
    assert states[vote["id"]] == ("applied", None) and states[poll_vote["id"]] == ("applied", None)
    poll = admin.api.get("/post", id=post_id)["post_view"]["poll"]
    assert ([c["votes"] for c in poll["choices"]], poll["voters"]) == ([1, 1], 2)
    assert admin.api.get("/post", id=post_id)["post_view"]["counts"]["comments"] == 0  # a vote is not a comment

    def latest_counts():
        updates = [r["activity"] for r in peer.received if r["activity"]["type"] == "Update"]
        return updates and [c["replies"]["totalItems"] for c in updates[-1]["object"]["oneOf"]]

    assert wait_for(lambda: latest_counts() == [1, 1] and latest_counts(), message="the counts at the voters'")
    again = dict(vote, id=f"{mastodon}#votes/2/activity", object=dict(note, id=f"{mastodon}#votes/2", name="soup"))
    peer.send(f"{server.base_url}/inbox", again)
    state, reason = settle(server)[again["id"]]
    assert state == "failed" and reason.startswith("already_voted")  # one choice a person in this poll


def test_a_vote_is_believed_only_from_its_voters_server(scene):
    server, peer, _group, _member, admin = scene
    community = admin.community("ours")["community"]
    body = {"name": "Trust?", "community_id": community["id"], "poll": {"choices": ["yes", "no"]}}
    created = admin.api.post("/post", body)["post_view"]
    other = Peer().start()
    try:
        someone = other.person("someone")["id"]
        note = {
            "id": f"{someone}#votes/1",
            "type": "Note",
            "name": "yes",
            "attributedTo": someone,
            "inReplyTo": created["post"]["ap_id"],
        }
        forged = _activity(peer, "Create", peer.person("mallory")["id"], note)
        peer.send(f"{server.base_url}/inbox", forged)
        assert settle(server)[forged["id"]][0] == "failed"
        poll = admin.api.get("/post", id=created["post"]["id"])["post_view"]["poll"]
        assert [c["votes"] for c in poll["choices"]] == [0, 0]
    finally:
        other.stop()


def test_a_poll_between_two_agora_servers_counts_votes_from_both(server_factory):
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
    body = {
        "name": "Where to meet?",
        "community_id": community["id"],
        "body": "Pick two.",
        "poll": {"choices": ["park", "cafe", "library"], "multiple": True},
    }
    post_id = owner.api.post("/post", body)["post_view"]["post"]["id"]
    listed = wait_for(lambda: reader.api.get("/post/list", type_="All")["posts"], message="the poll on beta")
    remote_id = listed[0]["post"]["id"]
    remote = reader.api.get("/post", id=remote_id)["post_view"]
    assert (remote["post"]["name"], remote["post"]["body"]) == ("Where to meet?", "Pick two.")
    assert [c["name"] for c in remote["poll"]["choices"]] == ["park", "cafe", "library"]
    assert remote["poll"]["multiple"] is True

    park, cafe, _library = (c["id"] for c in remote["poll"]["choices"])
    reader.api.post("/agora/poll/vote", {"post_id": remote_id, "choice_ids": [park, cafe]})

    def counts(member, pid):
        poll = member.api.get("/post", id=pid)["post_view"]["poll"]
        return [c["votes"] for c in poll["choices"]], poll["voters"]

    wait_for(lambda: counts(owner, post_id) == ([1, 1, 0], 1), message="beta's vote counted on alpha")
    local_voter = alpha.api().register("neighbour")
    library = owner.api.get("/post", id=post_id)["post_view"]["poll"]["choices"][2]["id"]
    local_voter.api.post("/agora/poll/vote", {"post_id": post_id, "choice_ids": [library]})
    wait_for(lambda: counts(reader, remote_id) == ([1, 1, 1], 2), message="alpha's counts on beta")
    assert reader.api.get("/post", id=remote_id)["post_view"]["poll"]["my_choices"] == [park, cafe]
