"""Private messages round-trip between two people; nobody else can read or change them."""

import pytest

from tests.support.admin import make_admin


@pytest.fixture
def pair(api):
    return api.register(), api.register()


def test_message_round_trip(pair, api):
    alice, bob = pair
    sent = alice.api.post("/private_message", {"recipient_id": bob.person_id, "content": "hi **bob**"})
    view = sent["private_message_view"]
    assert view["private_message"]["content"] == "hi **bob**" and view["recipient"]["id"] == bob.person_id
    assert view["private_message"]["ap_id"].endswith(f"/private_message/{view['private_message']['id']}")
    message_id = view["private_message"]["id"]
    assert bob.api.get("/user/unread_count")["private_messages"] == 1
    listed = bob.api.get("/private_message/list", unread_only=True)["private_messages"]
    assert [m["private_message"]["id"] for m in listed] == [message_id]
    edited = alice.api.put("/private_message", {"private_message_id": message_id, "content": "hi bob, edited"})
    assert edited["private_message_view"]["private_message"]["updated"]
    read = bob.api.post("/private_message/mark_as_read", {"private_message_id": message_id, "read": True})
    assert read["private_message_view"]["private_message"]["read"] is True
    assert bob.api.get("/user/unread_count")["private_messages"] == 0
    assert [m["private_message"]["id"] for m in alice.api.get("/private_message/list")["private_messages"]] == [
        message_id
    ]
    alice.api.post("/private_message/delete", {"private_message_id": message_id, "deleted": True})
    assert bob.api.get("/private_message/list")["private_messages"] == []


def test_a_third_person_can_neither_read_nor_change_a_message(pair, api):
    alice, bob = pair
    message_id = alice.api.post("/private_message", {"recipient_id": bob.person_id, "content": "secret"})[
        "private_message_view"
    ]["private_message"]["id"]
    eve = api.register()
    assert eve.api.get("/private_message/list")["private_messages"] == []
    body = {"private_message_id": message_id, "content": "tampered"}
    assert eve.api.error("PUT", "/private_message", body)[1] == "edit_private_message_not_allowed"
    assert bob.api.error("PUT", "/private_message", body)[1] == "edit_private_message_not_allowed"
    delete = {"private_message_id": message_id, "deleted": True}
    assert eve.api.error("POST", "/private_message/delete", delete)[1] == "edit_private_message_not_allowed"
    read = {"private_message_id": message_id, "read": True}
    assert eve.api.error("POST", "/private_message/mark_as_read", read)[1] == "couldnt_update_private_message"
    assert bob.api.get("/private_message/list")["private_messages"][0]["private_message"]["content"] == "secret"


def test_bad_messages_are_refused(pair):
    alice, bob = pair
    assert alice.api.error("POST", "/private_message", {"recipient_id": bob.person_id, "content": "   "})[1] == (
        "invalid_body_field"
    )
    assert alice.api.error("POST", "/private_message", {"recipient_id": 999999, "content": "x"})[1] == (
        "couldnt_find_person"
    )
    bob.api.post("/user/block", {"person_id": alice.person_id, "block": True})
    assert alice.api.error("POST", "/private_message", {"recipient_id": bob.person_id, "content": "x"})[1] == (
        "person_is_blocked"
    )


def test_recipient_reports_a_message_to_the_admins(pair, server):
    alice, bob = pair
    message_id = alice.api.post("/private_message", {"recipient_id": bob.person_id, "content": "buy pills"})[
        "private_message_view"
    ]["private_message"]["id"]
    assert (
        alice.api.error("POST", "/private_message/report", {"private_message_id": message_id, "reason": "x"})[1]
        == "couldnt_create_report"
    )
    report = bob.api.post("/private_message/report", {"private_message_id": message_id, "reason": "spam"})
    report_id = report["private_message_report_view"]["private_message_report"]["id"]
    admin = make_admin(server)
    assert admin.api.get("/user/report_count")["private_message_reports"] == 1
    listed = admin.api.get("/private_message/report/list")["private_message_reports"]
    assert listed[0]["private_message"]["content"] == "buy pills"
    assert bob.api.error("GET", "/private_message/report/list")[1] == "not_an_admin"
    admin.api.put("/private_message/report/resolve", {"report_id": report_id, "resolved": True})
    assert admin.api.get("/private_message/report/list")["private_message_reports"] == []
