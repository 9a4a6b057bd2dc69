"""`agora admin recount`: --check reports each count that differs from the rows and exits 1, a repair sets them,
and the instance then answers the true counts (the incident is simulated with raw SQL, the only way to make one)."""

from __future__ import annotations

from sqlalchemy import text

from tests.cli.test_cli import run
from tests.support.admin import make_admin
from tests.support.recount import recount_live


def _corrupt(server, *statements: str) -> None:
    async def go():
        async with server.state.db.write() as session:
            for statement in statements:
                await session.execute(text(statement))

    server.run(go)


def test_recount_help_names_the_check_and_its_exit_codes():
    result = run("admin", "recount", "--help")
    assert result.returncode == 0
    assert "--check" in result.stdout and "exit" in result.stdout
    assert "recount" in run("admin", "--help").stdout


def test_check_finds_each_corrupted_count_and_a_repair_restores_it(server, api):
    make_admin(server)
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    post_id = owner.post(community_id)["post"]["id"]
    top = owner.comment(post_id)["comment"]["id"]
    owner.comment(post_id, parent_id=top)
    assert (clean := recount_live(server, "--check")).returncode == 0, clean.stdout + clean.stderr
    assert "all counts agree" in clean.stdout

    _corrupt(
        server,
        f"UPDATE post SET score = score + 5, comments = 7 WHERE id = {post_id}",
        f"UPDATE comment SET child_count = 0, downvotes = 3 WHERE id = {top}",
        f"UPDATE person SET comment_count = 40 WHERE id = {owner.person_id}",
        f"UPDATE community SET subscribers = 9, posts = 0 WHERE id = {community_id}",
        "UPDATE local_site SET users = users + 2",
    )
    found = recount_live(server, "--check")
    assert found.returncode == 1, found.stdout + found.stderr
    lines = set(found.stdout.splitlines())
    for line in (
        f"post {post_id} score 6 1",
        f"post {post_id} comments 7 2",
        f"comment {top} child_count 0 1",
        f"comment {top} downvotes 3 0",
        f"person {owner.person_id} comment_count 40 2",
        f"community {community_id} subscribers 9 1",
        f"community {community_id} posts 0 1",
    ):
        assert line in lines, (line, found.stdout)
    assert any(line.startswith("local_site ") and " users " in line for line in lines)
    assert "8 count(s) differ on 5 row(s)" in found.stdout
    assert recount_live(server, "--check").returncode == 1  # --check changed nothing

    repaired = recount_live(server)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "repaired 5 row(s)" in repaired.stdout
    assert recount_live(server, "--check").returncode == 0
    post = api.get("/post", id=post_id)["post_view"]["counts"]
    assert (post["score"], post["comments"]) == (1, 2)
    community = api.get("/community", id=community_id)["community_view"]["counts"]
    assert (community["subscribers"], community["posts"]) == (1, 1)
    assert api.get("/site")["site_view"]["counts"]["users"] == 2


def test_an_unreachable_database_exits_2():
    env = {"AGORA_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"}
    result = run("admin", "recount", "--check", env=env)
    assert result.returncode == 2 and "cannot open the database" in result.stderr


def test_poll_counts_are_checked_and_repaired(server, api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    poll = {"choices": ["Yes", "No"]}
    created = owner.api.post("/post", {"name": "Agreed?", "community_id": community_id, "poll": poll})["post_view"]
    post_id, (yes, no) = created["post"]["id"], [c["id"] for c in created["poll"]["choices"]]
    api.register().api.post("/agora/poll/vote", {"post_id": post_id, "choice_ids": [yes]})
    _corrupt(
        server,
        f"UPDATE poll_choice SET votes = 5 WHERE id = {no}",
        f"UPDATE poll SET voters = 0 WHERE post_id = {post_id}",
    )
    found = recount_live(server, "--check")
    assert found.returncode == 1
    assert {f"poll_choice {no} votes 5 0", f"poll {post_id} voters 0 1"} <= set(found.stdout.splitlines())
    assert recount_live(server).returncode == 0
    assert recount_live(server, "--check").returncode == 0
    after = api.get("/post", id=post_id)["post_view"]["poll"]
    assert ([c["votes"] for c in after["choices"]], after["voters"]) == ([1, 0], 1)


def test_a_repair_makes_the_site_counts_exact_whatever_their_shards_hold(server, api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    post_id = owner.post(community_id)["post"]["id"]
    owner.comment(post_id)
    exact = api.get("/site")["site_view"]["counts"]
    _corrupt(server, "UPDATE counter_shard SET value = value + 3 WHERE name = 'comments'")
    assert api.get("/site")["site_view"]["counts"]["comments"] > exact["comments"]
    found = recount_live(server, "--check")
    assert found.returncode == 1 and any(" comments " in line for line in found.stdout.splitlines()), found.stdout
    repaired = recount_live(server)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert api.get("/site")["site_view"]["counts"] == exact
    owner.comment(post_id)  # writers keep adding to the shards after a repair
    assert api.get("/site")["site_view"]["counts"]["comments"] == exact["comments"] + 1
    assert recount_live(server, "--check").returncode == 0
