"""A front page of 20 posts costs a handful of queries, the same as a page of 5: nothing is fetched per row."""

from __future__ import annotations

import pytest

from tests.support.queries import QueryCounter
from tests.support.web import Visitor


def queries_for(server, visitor: Visitor, path: str) -> list[str]:
    # Empty the per-process caches (site settings, chrome: a few seconds' lifetime) and let one request refill
    # them, so that neither count can land on an expiry and both see the same state.
    server.state.site_cache.invalidate()
    server.state.extras.pop("web.chrome", None)
    visitor.get(path)
    with QueryCounter(server) as counter:
        assert visitor.get(path).status_code == 200
    return counter.statements


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
def test_front_page_queries_do_not_grow_with_the_rows(server, api, member):
    author, other = api.register(), api.register()
    community = author.community()["community"]
    posts = [author.post(community["id"], f"Post {i}", body="*body*") for i in range(20)]
    for post in posts[:5]:
        other.comment(post["post"]["id"], "a comment")
        other.vote_post(post["post"]["id"], 1)
    visitor = Visitor(server.base_url)
    if member:
        visitor.log_in(other.name)
    full = queries_for(server, visitor, "/?listingType=All&sort=New")
    assert visitor.get("/?listingType=All&sort=New").text.count('class="post-row') == 20
    for post in posts[5:]:
        author.api.post("/post/delete", {"post_id": post["post"]["id"], "deleted": True})
    small = queries_for(server, visitor, "/?listingType=All&sort=New")
    assert visitor.get("/?listingType=All&sort=New").text.count('class="post-row') == 5
    assert len(full) == len(small), (full, small)
    # A member's page also resolves their login and counts their unread inbox; SQLite adds a BEGIN per session.
    assert len(full) <= (10 if member else 5), full
