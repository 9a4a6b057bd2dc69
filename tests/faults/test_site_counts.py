"""The site's counts stay exact while many members write at once, through one server process or several on one
database: GET /site (v3 and v4) and NodeInfo answer what was made, and `agora admin recount --check` agrees."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import ENGINE
from tests.support.client import Api, Member
from tests.support.recount import assert_counts_agree

MEMBERS = 8
POSTS_EACH = 3
COMMENTS_EACH = 4


def _site_counts(base_url: str) -> dict[str, int]:
    v3 = Api(base_url).get("/site")["site_view"]["counts"]
    v4 = Api(base_url, prefix="/api/v4").get("/site")["site_view"]["local_site"]
    names = ("users", "posts", "comments", "communities")
    assert {n: v4[n] for n in names} == {n: v3[n] for n in names}
    usage = httpx.get(f"{base_url}/nodeinfo/2.1", timeout=10).json()["usage"]
    assert (usage["users"]["total"], usage["localPosts"], usage["localComments"]) == (
        v3["users"],
        v3["posts"],
        v3["comments"],
    )
    return {n: v3[n] for n in names}


def _write_at_once(base_urls: list[str]) -> dict[str, int]:
    """MEMBERS members, spread over `base_urls`, each make a community, posts in it and comments on each other's
    posts, and delete one comment each, all at once; answers what that adds to the site's counts."""

    def register(i: int) -> Member:
        return Api(base_urls[i % len(base_urls)]).register()

    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        members = list(pool.map(register, range(MEMBERS)))
        communities = list(pool.map(lambda m: m.community()["community"]["id"], members))

        def posts_of(i: int) -> list[int]:
            return [members[i].post(communities[i], name=f"post {n}")["post"]["id"] for n in range(POSTS_EACH)]

        posts = [p for ids in pool.map(posts_of, range(MEMBERS)) for p in ids]

        def comment_and_delete(i: int) -> None:
            made = [members[i].comment(posts[(i * 5 + n) % len(posts)])["comment"]["id"] for n in range(COMMENTS_EACH)]
            members[i].api.post("/comment/delete", {"comment_id": made[0], "deleted": True})

        list(pool.map(comment_and_delete, range(MEMBERS)))
    return {
        "users": MEMBERS,
        "posts": MEMBERS * POSTS_EACH,
        "comments": MEMBERS * (COMMENTS_EACH - 1),
        "communities": MEMBERS,
    }


def test_site_counts_are_exact_after_concurrent_writes(server):
    before = _site_counts(server.base_url)
    added = _write_at_once([server.base_url])
    assert _site_counts(server.base_url) == {name: before[name] + n for name, n in added.items()}
    assert_counts_agree(server)


@pytest.mark.skipif(ENGINE != "postgres", reason="several server processes on one database need PostgreSQL")
def test_site_counts_are_exact_after_concurrent_writes_over_three_processes(served):
    first = served(workers=3)
    second = served(AGORA_HOSTNAME=first.env["AGORA_HOSTNAME"])  # one public hostname behind a proxy
    before = _site_counts(first.base_url)
    added = _write_at_once([first.base_url, second.base_url])
    expected = {name: before[name] + n for name, n in added.items()}
    assert _site_counts(first.base_url) == expected
    assert _site_counts(second.base_url) == expected
    assert_counts_agree(served.url, first.env["AGORA_HOSTNAME"])
