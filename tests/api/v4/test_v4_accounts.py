"""API v4: sessions and passwords, private messages in the inbox, search and resolve_object."""

from tests.support.client import PASSWORD


def test_change_password_lists_logins_and_deletes_account(v4, join):
    alice = join()
    assert len(alice.api.get("/account/login/list")["logins"]) == 2  # registering logged in too
    assert alice.api.get("/account/login/list")["logins"][0]["published_at"]
    new = "a brand new password"
    changed = alice.api.put(
        "/account/auth/change_password",
        {"old_password": PASSWORD, "new_password": new, "new_password_verify": new},
    )
    assert changed["jwt"]
    assert v4.error("POST", "/account/auth/login", {"username_or_email": alice.name, "password": PASSWORD})[0] == 401
    again = v4.post("/account/auth/login", {"username_or_email": alice.name, "password": new})["jwt"]
    me = v4.as_(again)
    assert me.post("/account/auth/totp/generate")["totp_secret_url"].startswith("otpauth://")
    assert me.post("/account/donation_dialog_shown") == {"success": True}
    last = me.get("/account")["local_user_view"]["local_user"]["last_donation_notification_at"]
    assert last
    assert v4.error("POST", "/account/auth/password_reset", {"email": "a@example.com"})[1] == "no_email_setup"
    assert me.request("DELETE", "/account", {"password": new, "delete_content": True}).status_code == 200
    assert v4.error("POST", "/account/auth/login", {"username_or_email": alice.name, "password": new})[0] in (400, 401)


def test_private_messages_arrive_in_the_notification_inbox(join):
    alice, bob = join(), join()
    bob_id = bob.api.get("/account")["local_user_view"]["person"]["id"]
    sent = alice.api.post("/private_message", {"recipient_id": bob_id, "content": "hi bob"})["private_message_view"]
    assert sent["private_message"]["content"] == "hi bob" and sent["recipient"]["id"] == bob_id
    edited = alice.api.put("/private_message", {"private_message_id": sent["private_message"]["id"], "content": "hey"})
    assert edited["private_message_view"]["private_message"]["content"] == "hey"
    inbox = bob.api.get("/account/notification/list", type_="private_message")["items"]
    assert [i["data"]["private_message"]["content"] for i in inbox] == ["hey"]
    assert inbox[0]["notification"]["kind"] == "private_message" and inbox[0]["notification"]["read"] is False
    assert alice.api.get("/account/notification/list", type_="private_message")["items"] == []
    bob.api.post(
        "/account/notification/mark_as_read", {"notification_id": inbox[0]["notification"]["id"], "read": True}
    )
    assert bob.api.get("/account/notification/list", unread_only=True)["items"] == []
    gone = alice.api.request(
        "DELETE", "/private_message", {"private_message_id": sent["private_message"]["id"], "deleted": True}
    )
    assert gone.json()["private_message_view"]["private_message"]["deleted"] is True


def test_search_and_resolve_object(server, v4, join):
    alice = join()
    made = alice.community(title="Gardening things")
    post = alice.post(made["community"]["id"], name="Tomatoes in winter")["post"]
    found = v4.get("/search", search_term="tomatoes")
    assert [p["post"]["id"] for p in found["posts"]] == [post["id"]]
    assert found["persons"] == [] and found["multi_communities"] == []
    assert [
        c["community"]["id"] for c in v4.get("/search", search_term="gardening", type_="communities")["communities"]
    ] == [made["community"]["id"]]
    resolved = alice.api.get("/resolve_object", q=post["ap_id"])
    assert resolved["type_"] == "post" and resolved["post"]["id"] == post["id"]
    person = alice.api.get("/resolve_object", q=f"@{alice.name}@{server.base_url.split('://')[1]}")
    assert person["type_"] == "person" and person["person"]["name"] == alice.name


def test_settings_backup_round_trip_and_federated_instances(v4, join):
    alice, bob = join(), join()
    made = alice.community()
    bob.api.post("/community/follow", {"community_id": made["community"]["id"], "follow": True})
    bob.api.put("/account/settings/save", {"bio": "from backup"})
    backup = bob.api.get("/account/settings/export")
    assert backup["followed_communities"] == [made["community"]["ap_id"]]
    assert backup["blocked_instances_communities"] == [] and backup["bio"] == "from backup"
    carol = join()
    assert carol.api.post("/account/settings/import", backup) == {"success": True}
    me = carol.api.get("/account")
    assert [f["community"]["id"] for f in me["follows"]] == [made["community"]["id"]]
    assert me["local_user_view"]["person"]["bio"] == "from backup"
    assert v4.get("/federated_instances", kind="all") == {"items": []}


def test_a_null_setting_is_left_as_it_is(join):
    alice = join()
    alice.api.put("/account/settings/save", {"post_listing_mode": "card", "default_listing_type": "local"})
    nulls = {"post_listing_mode": None, "default_listing_type": None, "default_post_sort_type": None, "bio": "hi"}
    assert alice.api.put("/account/settings/save", nulls) == {"success": True}
    user = alice.api.get("/account")["local_user_view"]["local_user"]
    assert (user["post_listing_mode"], user["default_listing_type"]) == ("card", "local")
