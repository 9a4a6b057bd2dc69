"""The inbox worker applies a claimed batch's votes on one object together: right counts, each voter's order kept,
each activity once, a refusal or a conflict kept on its own row without losing the others, nothing lost to a kill."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from agora.federation.inbox import InboxWorker
from tests.conftest import free_port
from tests.federation.conftest import FAST, received, settle, wait_for
from tests.federation.peer import Peer
from tests.federation.test_story import FEDERATION_ENV
from tests.support.admin import make_admin
from tests.support.process import ServedInstance

pytestmark = pytest.mark.federation


@pytest.fixture
def held(server_factory):
    """A server whose inbox stores but does not apply until the test runs a worker."""
    server = server_factory(**FAST, federation_workers=False)
    peer = Peer().start()
    admin = make_admin(server)
    community = admin.community("main")["community"]
    yield server, peer, admin, community
    peer.stop()


def vote(peer: Peer, name: str, kind: str, target: str) -> dict:
    return {
        "id": peer.url(f"/activities/{kind.lower()}/{uuid.uuid4()}"),
        "type": kind,
        "actor": peer.person(name)["id"],
        "object": target,
    }


def undo(peer: Peer, activity: dict) -> dict:
    return {
        "id": peer.url(f"/activities/undo/{uuid.uuid4()}"),
        "type": "Undo",
        "actor": activity["actor"],
        "object": activity,
    }


def send(server, peer: Peer, *sent: dict) -> None:
    for activity in sent:
        assert peer.send(f"{server.base_url}/inbox", activity).status_code == 202


def one_batch(server) -> tuple[list, int]:
    """Claim and apply one batch with a worker of the test's own; answers what was claimed and how many write
    transactions applying it committed."""
    worker = InboxWorker(server.state)
    claimed = server.run(worker.claim)
    commits = []
    engine = server.state.db.writer.sync_engine
    listener = lambda _connection: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        server.run(lambda: worker.apply_batch(claimed))
    finally:
        event.remove(engine, "commit", listener)
    return claimed, len(commits)


def drain(server) -> dict:
    worker = InboxWorker(server.state)

    async def start() -> None:
        worker.start()

    server.run(start)
    try:
        return settle(server)
    finally:
        server.run(worker.stop)


def counts(admin, post: dict) -> tuple[int, int, int]:
    found = admin.api.get("/post", id=post["id"])["post_view"]["counts"]
    return found["upvotes"], found["downvotes"], found["score"]


def test_votes_of_many_actors_on_one_post_apply_in_one_batch(held):
    server, peer, admin, community = held
    hot, other = admin.post(community["id"])["post"], admin.post(community["id"], name="other")["post"]
    likes = [vote(peer, f"fan{n}", "Like", hot["ap_id"]) for n in range(12)]
    dislikes = [vote(peer, f"foe{n}", "Dislike", hot["ap_id"]) for n in range(4)]
    elsewhere = [vote(peer, f"far{n}", "Like", other["ap_id"]) for n in range(3)]
    send(server, peer, *likes, *dislikes, *elsewhere)
    claimed, commits = one_batch(server)
    assert len(claimed) == 19  # one voter's first activity each: all of them
    assert commits == 2  # one transaction for each post's votes
    assert set(received(server).values()) == {("applied", None)}
    assert counts(admin, hot) == (13, 4, 9)  # the author's own upvote and the 16 votes
    assert counts(admin, other) == (4, 0, 4)


def test_a_like_then_its_undo_end_with_no_vote(held):
    server, peer, admin, community = held
    target = admin.post(community["id"])["post"]
    like, dislike = vote(peer, "dora", "Like", target["ap_id"]), vote(peer, "emil", "Dislike", target["ap_id"])
    others = [vote(peer, f"fan{n}", "Like", target["ap_id"]) for n in range(5)]
    send(server, peer, like, dislike, *others, undo(peer, like), undo(peer, dislike))
    states = drain(server)
    assert set(states.values()) == {("applied", None)}
    assert counts(admin, target) == (6, 0, 6)


def test_the_same_vote_twice_counts_once(held):
    server, peer, admin, community = held
    target = admin.post(community["id"])["post"]
    like = vote(peer, "gus", "Like", target["ap_id"])
    send(server, peer, like, vote(peer, "hal", "Like", target["ap_id"]))
    response = peer.send(f"{server.base_url}/inbox", like)  # the same activity, delivered again
    assert response.status_code == 200 and response.json() == {"status": "duplicate"}
    again = {**like, "id": peer.url(f"/activities/like/{uuid.uuid4()}")}  # the same vote under another id
    send(server, peer, again)
    states = drain(server)
    assert len(states) == 3 and set(states.values()) == {("applied", None)}
    assert counts(admin, target) == (3, 0, 3)


def test_activities_sent_at_once_are_each_stored_once_before_their_answer(held):
    """Many POSTs at once share the inbox's statements: each id is answered 202 once (the copies sent beside it
    200), and every 202 is already a stored row."""
    server, peer, admin, community = held
    target = admin.post(community["id"])["post"]
    likes = [vote(peer, f"fan{n}", "Like", target["ap_id"]) for n in range(30)]
    twice = [like for like in likes for _ in (1, 2)]  # each beside its copy
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda like: peer.send(f"{server.base_url}/inbox", like), twice))
    stored = received(server)  # read at once: nothing answered 202 may still be on its way to the database
    statuses: dict[str, list[int]] = {}
    for activity, answer in zip(twice, answers, strict=True):
        statuses.setdefault(activity["id"], []).append(answer.status_code)
    assert all(sorted(codes) == [200, 202] for codes in statuses.values()), statuses
    assert set(stored) == {like["id"] for like in likes}
    assert set(drain(server).values()) == {("applied", None)}
    assert counts(admin, target) == (31, 0, 31)


def test_a_refused_vote_is_kept_and_the_rest_of_its_batch_applied(held):
    server, peer, admin, community = held
    target = admin.post(community["id"])["post"]
    banned = peer.person("mallory")["id"]
    person_id = admin.api.get("/resolve_object", q=banned)["person"]["person"]["id"]
    admin.api.post("/community/ban_user", {"community_id": community["id"], "person_id": person_id, "ban": True})
    fans = [vote(peer, f"fan{n}", "Like", target["ap_id"]) for n in range(5)]
    refused = vote(peer, "mallory", "Like", target["ap_id"])
    send(server, peer, fans[0], fans[1], refused, *fans[2:])
    assert len(one_batch(server)[0]) == 6
    states = received(server)
    assert states[refused["id"]][0] == "failed" and "banned" in states[refused["id"]][1]
    assert all(states[fan["id"]] == ("applied", None) for fan in fans)
    assert counts(admin, target) == (6, 0, 6)


def test_a_vote_that_meets_a_conflict_is_tried_again_and_its_batch_applied(held, monkeypatch):
    from agora.domain import votes

    server, peer, admin, community = held
    target = admin.post(community["id"])["post"]
    unlucky = vote(peer, "ivy", "Like", target["ap_id"])
    fans = [vote(peer, f"fan{n}", "Like", target["ap_id"]) for n in range(4)]
    send(server, peer, *fans[:2], unlucky, *fans[2:])
    unlucky_id = admin.api.get("/resolve_object", q=unlucky["actor"])["person"]["person"]["id"]
    conflicts = [2]  # the batch's transaction, then the vote on its own; the retry goes through
    vote_post = votes.vote_post

    async def conflicted(session, here, actor, post_id, score):
        if actor.person_id == unlucky_id and conflicts[0]:
            conflicts[0] -= 1
            raise OperationalError("UPDATE post", {}, Exception("database is locked"))
        return await vote_post(session, here, actor, post_id, score)

    monkeypatch.setattr(votes, "vote_post", conflicted)
    one_batch(server)
    states = received(server)
    assert states[unlucky["id"]][0] == "queued" and states[unlucky["id"]][1].startswith("retrying: database")
    assert all(states[fan["id"]] == ("applied", None) for fan in fans)
    assert counts(admin, target) == (5, 0, 5)
    assert drain(server)[unlucky["id"]] == ("applied", None)  # tried again after its back-off
    assert counts(admin, target) == (6, 0, 6)


@pytest.mark.slow
def test_a_worker_killed_while_applying_loses_nothing(databases, tmp_path):
    """A backlog stored by a server that does not apply it, then applied by one SIGKILLed part way: after a
    restart every vote counts, once."""
    url = databases.new()
    peer = Peer().start()
    port = free_port()
    instances: list[ServedInstance] = []
    try:
        storing = ServedInstance(url, port, tmp_path, **FEDERATION_ENV, AGORA_FEDERATION_WORKERS="0").start()
        instances.append(storing)
        owner = storing.api().register("owner")
        community = owner.community("main")["community"]
        target = owner.post(community["id"])["post"]
        voters = 400
        likes = [vote(peer, f"fan{n}", "Like", target["ap_id"]) for n in range(voters)]
        threads = [threading.Thread(target=send, args=(storing, peer, *likes[n::8])) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        storing.kill()
        applying = ServedInstance(url, port, tmp_path, **FEDERATION_ENV)
        instances.append(applying.start())

        def upvotes() -> int:
            return applying.api().get("/post", id=target["id"])["post_view"]["counts"]["upvotes"]

        seen = wait_for(lambda: (found := upvotes()) > 1 and found, timeout=60, message="the first votes")
        applying.kill()
        assert seen < voters + 1, "every vote was applied before the kill"
        applying.start()
        wait_for(lambda: upvotes() == voters + 1, timeout=120, message="every vote")
        time.sleep(1)
        counted = applying.api().get("/post", id=target["id"])["post_view"]["counts"]
        assert (counted["upvotes"], counted["score"]) == (voters + 1, voters + 1)
    finally:
        peer.stop()
        for instance in instances:
            instance.kill()
        databases.drop(url)
