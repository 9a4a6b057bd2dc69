"""Three Agora servers as real `agora serve` processes on loopback, on SQLite and PostgreSQL mixed, run the whole
story: follow a remote community, post, comment, vote, edit, delete, moderator removal and ban, report, private
message, resolve_object. Everything arrives exactly once, and a server stopped mid-way gets all it missed, in
order, once it is back."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import ENGINE, PG_ADMIN_URL, _pg, _pg_url, free_port
from tests.federation.conftest import wait_for
from tests.support.process import ServedInstance

pytestmark = [pytest.mark.federation, pytest.mark.slow]
FEDERATION_ENV = {
    "AGORA_FEDERATION_DEBUG": "1",
    "AGORA_FEDERATION_POLL_SECONDS": "0.1",
    "AGORA_FEDERATION_RETRY_MAX_SECONDS": "1",
}


def _postgres_reachable() -> bool:
    try:
        asyncio.run(_pg("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture
def instances(databases, tmp_path):
    """served(engine) → a started `agora serve` on a fresh database of that engine ("sqlite" or "postgres")."""
    started: list[ServedInstance] = []
    from_factory: list[str] = []
    pg_databases: list[str] = []

    def served(engine: str) -> ServedInstance:
        if engine == ENGINE:
            url = databases.new()
            from_factory.append(url)
        elif engine == "postgres":
            name = f"agora_fed_{len(pg_databases)}_{free_port()}"
            asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
            pg_databases.append(name)
            url = _pg_url(name)
        else:
            url = f"sqlite+aiosqlite:///{tmp_path / f'fed{len(started)}.db'}"
        instance = ServedInstance(url, free_port(), tmp_path, **FEDERATION_ENV).start()
        started.append(instance)
        return instance

    yield served
    for instance in started:
        instance.kill()
    for url in from_factory:
        databases.drop(url)
    for name in pg_databases:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _domain(instance: ServedInstance) -> str:
    return instance.env["AGORA_HOSTNAME"]


def posts_named(member, name: str) -> list[dict]:
    return [
        p for p in member.api.get("/post/list", type_="All", sort="New", limit=50)["posts"] if p["post"]["name"] == name
    ]


def one_post(member, name: str) -> dict:
    found = wait_for(lambda: posts_named(member, name), message=f"post {name!r}")
    assert len(found) == 1, f"{name!r} arrived {len(found)} times"
    return found[0]


def comments_of(member, post_id: int) -> list[dict]:
    return member.api.get("/comment/list", post_id=post_id, type_="All", sort="Old", limit=50)["comments"]


def follow(member, handle: str) -> int:
    community_id = member.api.get("/resolve_object", q=handle)["community"]["community"]["id"]
    assert (
        member.api.post("/community/follow", {"community_id": community_id, "follow": True})["community_view"][
            "subscribed"
        ]
        == "Pending"
    )
    wait_for(
        lambda: member.api.get("/community", id=community_id)["community_view"]["subscribed"] == "Subscribed",
        message="the Accept",
    )
    return community_id


@pytest.mark.skipif(not _postgres_reachable(), reason=f"no PostgreSQL at {PG_ADMIN_URL}")
def test_three_servers_run_the_whole_story(instances):
    other = "sqlite" if ENGINE == "postgres" else "postgres"
    alpha, beta, gamma = instances(ENGINE), instances(other), instances(ENGINE)
    alice = alpha.api().register("alice")
    bob = beta.api().register("bob")
    carol = gamma.api().register("carol")
    main = alice.community("main", title="Main")["community"]
    handle = f"!main@{_domain(alpha)}"

    # Follow: pending until the Accept arrives; the first follow fills the page from the outbox.
    early = alice.post(main["id"], name="Posted before anyone followed")["post"]
    alice.post(main["id"], name="Also before, not pinned")
    alice.api.post("/post/feature", {"post_id": early["id"], "featured": True, "feature_type": "Community"})
    beta_main = follow(bob, handle)
    gamma_main = follow(carol, handle)
    wait_for(
        lambda: one_post(bob, "Posted before anyone followed")["post"]["featured_community"],
        message="the pinned post pinned on beta too (its featured collection)",
    )
    assert not one_post(bob, "Also before, not pinned")["post"]["featured_community"]
    assert alice.api.get("/community", id=main["id"])["community_view"]["counts"]["subscribers"] == 3

    # Post, comment, vote: each arrives once everywhere, through the community's Announce.
    post = alice.post(main["id"], name="Hello fediverse", body="First *post*")["post"]
    bob_post = one_post(bob, "Hello fediverse")["post"]
    carol_post = one_post(carol, "Hello fediverse")["post"]
    assert bob_post["ap_id"] == post["ap_id"] == carol_post["ap_id"] and bob_post["body"] == "First *post*"
    reply = bob.comment(bob_post["id"], f"Welcome @alice@{_domain(alpha)}")["comment"]
    wait_for(lambda: comments_of(alice, post["id"]), message="bob's comment on alpha")
    wait_for(lambda: comments_of(carol, carol_post["id"]), message="bob's comment on gamma")
    carol.vote_post(carol_post["id"], 1)
    bob.vote_post(bob_post["id"], -1)
    wait_for(lambda: alice.api.get("/post", id=post["id"])["post_view"]["counts"]["upvotes"] == 2, message="votes")
    wait_for(lambda: alice.api.get("/post", id=post["id"])["post_view"]["counts"]["downvotes"] == 1)
    wait_for(lambda: bob.api.get("/post", id=bob_post["id"])["post_view"]["counts"]["upvotes"] == 2)
    assert alice.api.get("/user/mention")["mentions"] or alice.api.get("/user/replies")["replies"]

    # Edits and an author's delete.
    alice.api.put("/post", {"post_id": post["id"], "name": "Hello fediverse (edited)"})
    one_post(carol, "Hello fediverse (edited)")
    bob.api.put("/comment", {"comment_id": reply["id"], "content": "Welcome, edited"})
    wait_for(lambda: comments_of(alice, post["id"])[0]["comment"]["content"] == "Welcome, edited")
    doomed = carol.comment(carol_post["id"], "soon deleted")["comment"]
    wait_for(lambda: len(comments_of(alice, post["id"])) == 2, message="carol's comment")
    carol.api.post("/comment/delete", {"comment_id": doomed["id"], "deleted": True})
    wait_for(lambda: comments_of(bob, bob_post["id"])[-1]["comment"]["deleted"], message="the delete on beta")

    # Moderation: a removal with its reason, then a ban that beta applies to its own member.
    rude = bob.comment(bob_post["id"], "something rude")["comment"]
    on_alpha = wait_for(lambda: [c for c in comments_of(alice, post["id"]) if c["comment"]["ap_id"] == rude["ap_id"]])
    alice.api.post("/comment/remove", {"comment_id": on_alpha[0]["comment"]["id"], "removed": True, "reason": "rude"})
    wait_for(
        lambda: [c for c in comments_of(carol, carol_post["id"]) if c["comment"]["removed"]],
        message="the removal on gamma",
    )
    bob_on_alpha = on_alpha[0]["creator"]["id"]
    alice.api.post(
        "/community/ban_user",
        {"community_id": main["id"], "person_id": bob_on_alpha, "ban": True, "reason": "rude again"},
    )
    wait_for(
        lambda: bob.api.get("/post", id=bob_post["id"])["post_view"]["banned_from_community"], message="the ban on beta"
    )
    assert bob.api.error("POST", "/comment", {"post_id": bob_post["id"], "content": "x"})[1] == "banned_from_community"

    # A report goes to the community's moderators; a private message to its person.
    carol.api.post("/post/report", {"post_id": carol_post["id"], "reason": "off topic"})
    reports = wait_for(lambda: alice.api.get("/post/report/list")["post_reports"], message="the report")
    assert reports[0]["post_report"]["reason"] == "off topic" and reports[0]["creator"]["name"] == "carol"
    alice_on_beta = bob.api.get("/resolve_object", q=f"@alice@{_domain(alpha)}")["person"]["person"]["id"]
    bob.api.post("/private_message", {"recipient_id": alice_on_beta, "content": "sorry about that"})
    messages = wait_for(lambda: alice.api.get("/private_message/list")["private_messages"], message="the message")
    assert messages[0]["private_message"]["content"] == "sorry about that"

    # resolve_object: gamma fetches a comment it has and a person it never saw.
    found = carol.api.get("/resolve_object", q=reply["ap_id"])["comment"]
    assert found["comment"]["content"] == "Welcome, edited"
    assert carol.api.get("/resolve_object", q=f"@bob@{_domain(beta)}")["person"]["person"]["name"] == "bob"

    # Gamma stops; what happens meanwhile reaches it after its restart, in order, once.
    gamma.stop()
    titles = [f"While gamma was away {n}" for n in range(4)]
    for title in titles:
        alice.post(main["id"], name=title)
    alice.api.post("/post/lock", {"post_id": post["id"], "locked": True})
    gamma.start()
    for title in titles:
        one_post(carol, title)
    arrived = [p["post"]["name"] for p in carol.api.get("/post/list", type_="All", sort="New", limit=50)["posts"]]
    assert [t for t in arrived if t in titles] == list(reversed(titles))  # newest first: published in order
    wait_for(lambda: carol.api.get("/post", id=carol_post["id"])["post_view"]["post"]["locked"], message="the lock")

    # Exactly once, everywhere.
    for member, post_id in ((bob, bob_post["id"]), (carol, carol_post["id"])):
        view = member.api.get("/post", id=post_id)["post_view"]
        assert view["counts"]["upvotes"] == 2 and view["counts"]["downvotes"] == 1
        assert len(comments_of(member, post_id)) == 3
    assert len(posts_named(carol, "Posted before anyone followed")) <= 1
    assert beta_main != main["id"] or gamma_main  # ids are each server's own
    state = bob.api.get("/federated_instances")["federated_instances"]["linked"]
    assert _domain(alpha) in [i["domain"] for i in state]
    assert early["ap_id"].startswith(alpha.base_url)
