"""Settings backups: what one account exports, another imports — settings, follows, saves and blocks."""

from tests.support.client import ApiError


def _scene(api):
    alice = api.register()
    owner = api.register()
    followed = owner.community()["community"]
    blocked = owner.community()["community"]
    post = owner.post(followed["id"])["post"]
    comment = owner.comment(post["id"])["comment"]
    pest = api.register()
    alice.api.post("/community/follow", {"community_id": followed["id"], "follow": True})
    alice.api.put("/post/save", {"post_id": post["id"], "save": True})
    alice.api.put("/comment/save", {"comment_id": comment["id"], "save": True})
    alice.api.post("/community/block", {"community_id": blocked["id"], "block": True})
    alice.api.post("/user/block", {"person_id": pest.person_id, "block": True})
    alice.api.put(
        "/user/save_user_settings",
        {"display_name": "Alice A", "bio": "hello", "show_nsfw": True, "default_sort_type": "TopWeek"},
    )
    return alice, followed, blocked, post, comment, pest


def test_export_lists_everything_by_activitypub_id_and_no_secrets(api):
    alice, followed, blocked, post, comment, pest = _scene(api)
    backup = alice.api.get("/user/export_settings")
    assert backup["display_name"] == "Alice A" and backup["bio"] == "hello"
    assert backup["settings"]["show_nsfw"] is True and backup["settings"]["default_sort_type"] == "TopWeek"
    assert backup["followed_communities"] == [followed["actor_id"]]
    assert backup["saved_posts"] == [post["ap_id"]]
    assert backup["saved_comments"] == [comment["ap_id"]]
    assert backup["blocked_communities"] == [blocked["actor_id"]]
    assert backup["blocked_users"] == [api.get("/user", person_id=pest.person_id)["person_view"]["person"]["actor_id"]]
    text = str(backup)
    assert "password" not in text and "totp" not in text and "$argon2" not in text


def test_import_restores_the_backup_on_another_account(api):
    alice, followed, blocked, post, comment, pest = _scene(api)
    backup = alice.api.get("/user/export_settings")
    backup["saved_posts"].append("https://elsewhere.example/post/1")
    bob = api.register()
    result = bob.api.post("/user/import_settings", backup)
    assert result["success"] is True
    assert result["imported"] == 5
    assert result["skipped"] == ["https://elsewhere.example/post/1"]
    me = bob.api.get("/site")["my_user"]
    assert me["local_user_view"]["person"]["display_name"] == "Alice A"
    assert me["local_user_view"]["local_user"]["default_sort_type"] == "TopWeek"
    assert [f["community"]["id"] for f in me["follows"]] == [followed["id"]]
    assert [b["community"]["id"] for b in me["community_blocks"]] == [blocked["id"]]
    assert [b["target"]["id"] for b in me["person_blocks"]] == [pest.person_id]
    assert [p["post"]["id"] for p in bob.api.get("/post/list", saved_only=True)["posts"]] == [post["id"]]
    assert [c["comment"]["id"] for c in bob.api.get("/comment/list", saved_only=True)["comments"]] == [comment["id"]]


def test_import_refuses_oversized_or_malformed_backups_and_changes_nothing(api):
    bob = api.register()
    too_many = {"display_name": "Changed", "saved_posts": [f"https://x.example/post/{i}" for i in range(1001)]}
    status, _ = bob.api.error("POST", "/user/import_settings", too_many)
    assert status == 400
    status, code = bob.api.error(
        "POST", "/user/import_settings", {"display_name": "Changed", "settings": {"default_sort_type": "Sideways"}}
    )
    assert status == 400 and code == "invalid_query"
    assert bob.api.get("/site")["my_user"]["local_user_view"]["person"].get("display_name") is None
    assert api.error("GET", "/user/export_settings")[0] == 401


def test_backups_are_rate_limited_like_lemmy(server_factory):
    server = server_factory(rate_limits_enabled=True)
    bob = server.api().register()
    bob.api.get("/user/export_settings")
    try:
        bob.api.post("/user/import_settings", {})
    except ApiError as error:
        assert error.response.status_code == 429
        assert error.response.json()["error"] == "rate_limit_error"
    else:
        raise AssertionError("a second backup call within a day was allowed")
