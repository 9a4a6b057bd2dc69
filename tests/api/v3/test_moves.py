"""Moving an account within one server: the new account takes over what is the member's, the old one is frozen."""

from __future__ import annotations

from tests.support.client import PASSWORD, Api


def test_a_member_moves_to_another_account_on_the_same_server(server):
    api = Api(server.base_url)
    owner = api.register()
    community = owner.community()["community"]
    post = owner.post(community["id"], name="kept")["post"]
    old, new, pest = api.register(), api.register(), api.register()
    old.api.post("/community/follow", {"community_id": community["id"], "follow": True})
    old.api.put("/post/save", {"post_id": post["id"], "save": True})
    old.api.post("/user/block", {"person_id": pest.person_id, "block": True})
    domain = server.settings.domain

    new.api.post("/account/aliases", {"aliases": [f"@{old.name}@{domain}"]})
    v4 = Api(server.base_url, old.token, "/api/v4")
    moved = v4.post("/account/move", {"target": f"@{new.name}@{domain}", "password": PASSWORD})
    assert moved["moved_to_person_id"] == new.person_id

    assert new.api.get("/community", id=community["id"])["community_view"]["subscribed"] == "Subscribed"
    assert [p["post"]["id"] for p in new.api.get("/post/list", saved_only=True, type_="All")["posts"]] == [post["id"]]
    assert [b["target"]["id"] for b in new.api.get("/site")["my_user"]["person_blocks"]] == [pest.person_id]
    assert old.api.error("POST", "/post/like", {"post_id": post["id"], "score": 1}) == (400, "account_moved")
    assert old.api.error("POST", "/community/follow", {"community_id": community["id"], "follow": True}) == (
        400,
        "account_moved",
    )
    # New aliases are checked: a URL that names no account is refused, and so is one's own.
    assert new.api.error("POST", "/account/aliases", {"aliases": ["https://example.invalid/u/x"]})[1] == "invalid_alias"
    assert new.api.error("POST", "/account/aliases", {"aliases": [f"@{new.name}@{domain}"]})[1] == "invalid_alias"
