"""The site's settings are kept between requests: a write to them shows at once, any other write keeps them."""

from __future__ import annotations

from tests.support.admin import make_admin
from tests.support.queries import QueryCounter


def _reads_settings(statements: list[str]) -> bool:
    return any(statement.startswith("SELECT local_site_rate_limit.") for statement in statements)


def test_a_comment_keeps_the_settings_and_an_admin_edit_drops_them(server, api):
    author = api.register()
    post = author.post(author.community()["community"]["id"])["post"]["id"]
    voter = api.register()
    server.state.site_cache.invalidate()
    author.comment(post, "reads the settings once")
    with QueryCounter(server) as counter:
        comment = author.comment(post, "the settings are still those it read")["comment"]["id"]
    assert not _reads_settings(counter.statements), counter.statements

    make_admin(server).api.put("/site", {"enable_downvotes": False})
    with QueryCounter(server) as counter:
        refused = voter.api.error("POST", "/comment/like", {"comment_id": comment, "score": -1})
    assert refused[1] == "downvotes_are_disabled"
    assert _reads_settings(counter.statements), counter.statements
