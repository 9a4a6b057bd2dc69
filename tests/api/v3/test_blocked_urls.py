"""The site's URL blocklist (EditSite.blocked_urls): stored as Lemmy stores it, shown in GET /site, and enforced
with `blocked_url` on posts (link and body), comments and private messages, before any other check."""

from tests.support.admin import make_admin


def _entries(api) -> list[dict]:
    return api.get("/site")["blocked_urls"]


def test_admin_sets_the_list_and_get_site_shows_it_as_lemmy(server, api):
    admin = make_admin(server)
    assert _entries(api) == []
    admin.api.put("/site", {"blocked_urls": ["https://evil.com/", "evil.com", "http://Spam.example/offers/"]})
    entries = _entries(api)
    assert [e["url"] for e in entries] == ["evil.com", "spam.example/offers"]
    assert all(set(e) == {"id", "url", "published"} and isinstance(e["id"], int) for e in entries)
    admin.api.put("/site", {"name": "Renamed"})  # a list left out is unchanged
    assert [e["url"] for e in _entries(api)] == ["evil.com", "spam.example/offers"]
    assert admin.api.error("PUT", "/site", {"blocked_urls": ["https://example .com"]}) == (400, "invalid_url")
    assert [e["url"] for e in _entries(api)] == ["evil.com", "spam.example/offers"]  # nothing half-written
    member = api.register()
    assert member.api.error("PUT", "/site", {"blocked_urls": []})[1] == "not_an_admin"
    admin.api.put("/site", {"blocked_urls": []})
    assert _entries(api) == []


def test_posts_linking_a_blocked_address_are_refused_before_anything_else(server, api):
    admin = make_admin(server)
    member = api.register()
    community = member.community()["community"]["id"]
    admin.api.put("/site", {"blocked_urls": ["https://evil.com/"]})
    new_post = {"name": "Free stuff", "community_id": community}
    assert member.api.error("POST", "/post", {**new_post, "url": "https://evil.com"}) == (400, "blocked_url")
    assert member.api.error("POST", "/post", {**new_post, "url": "https://EVIL.com/deals?x=1"})[1] == "blocked_url"
    # Lemmy checks the list before it looks for the community or the title.
    assert member.api.error("POST", "/post", {"name": "x", "community_id": 999_999, "url": "https://evil.com"})[1] == (
        "blocked_url"
    )
    body = "Look [here](https://evil.com/offer) for more"
    assert member.api.error("POST", "/post", {**new_post, "body": body})[1] == "blocked_url"
    assert api.get("/post/list", community_id=community)["posts"] == []
    # Near misses are fine.
    post = member.post(community, url="https://notevil.com/", body="see evil.community")["post"]
    assert member.api.error("PUT", "/post", {"post_id": post["id"], "url": "https://evil.com/"})[1] == "blocked_url"
    assert member.api.error("PUT", "/post", {"post_id": post["id"], "body": "evil.com"})[1] == "blocked_url"
    assert api.get("/post", id=post["id"])["post_view"]["post"]["url"] == "https://notevil.com/"
    admin.api.put("/site", {"blocked_urls": []})
    assert member.post(community, url="https://evil.com")["post"]["url"] == "https://evil.com"


def test_comments_and_private_messages_naming_a_blocked_address_are_refused(server, api):
    admin = make_admin(server)
    member = api.register()
    post = member.post(member.community()["community"]["id"])["post"]["id"]
    comment = member.comment(post, "a clean comment")["comment"]["id"]
    admin.api.put("/site", {"blocked_urls": ["spam.example/offers"]})
    refused = "buy now at https://spam.example/offers/today"
    assert member.api.error("POST", "/comment", {"post_id": post, "content": refused})[1] == "blocked_url"
    assert member.api.error("PUT", "/comment", {"comment_id": comment, "content": refused})[1] == "blocked_url"
    assert member.comment(post, "https://spam.example/other is fine")["comment"]["id"]
    message = {"recipient_id": admin.person_id, "content": refused}
    assert member.api.error("POST", "/private_message", message)[1] == "blocked_url"
