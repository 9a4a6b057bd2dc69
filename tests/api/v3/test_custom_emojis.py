"""Custom emoji: admins create, edit and delete them; GET /site lists them with their keywords."""

from tests.support.admin import make_admin

EMOJI = {
    "shortcode": "Party_Parrot",
    "image_url": "https://example.org/parrot.gif",
    "alt_text": "a dancing parrot",
    "category": "birds",
    "keywords": ["bird", "Dance", "bird"],
}


def _site_emojis(api):
    return {e["custom_emoji"]["shortcode"]: e for e in api.get("/site")["custom_emojis"]}


def test_admin_creates_edits_and_deletes_an_emoji(server, api):
    admin = make_admin(server)
    created = admin.api.post("/custom_emoji", EMOJI)["custom_emoji"]
    emoji = created["custom_emoji"]
    assert emoji["shortcode"] == "party_parrot"
    assert emoji["alt_text"] == "a dancing parrot"
    assert [k["keyword"] for k in created["keywords"]] == ["bird", "dance"]
    assert "party_parrot" in _site_emojis(api)

    edit = {
        "id": emoji["id"],
        "image_url": "https://example.org/p2.gif",
        "alt_text": "a parrot",
        "category": "animals",
        "keywords": ["parrot"],
    }
    edited = admin.api.put("/custom_emoji", edit)["custom_emoji"]
    assert edited["custom_emoji"]["category"] == "animals"
    assert edited["custom_emoji"]["updated"]
    listed = _site_emojis(api)["party_parrot"]
    assert listed["custom_emoji"]["image_url"] == "https://example.org/p2.gif"
    assert [k["keyword"] for k in listed["keywords"]] == ["parrot"]

    assert admin.api.post("/custom_emoji/delete", {"id": emoji["id"]}) == {"success": True}
    assert "party_parrot" not in _site_emojis(api)
    assert admin.api.error("POST", "/custom_emoji/delete", {"id": emoji["id"]}) == (404, "not_found")


def test_emoji_input_is_checked(server, api):
    admin = make_admin(server)
    admin.api.post("/custom_emoji", EMOJI)
    assert admin.api.error("POST", "/custom_emoji", EMOJI)[1] == "custom_emoji_already_exists"
    assert admin.api.error("POST", "/custom_emoji", {**EMOJI, "shortcode": "no spaces"})[1] == "invalid_body_field"
    assert admin.api.error("POST", "/custom_emoji", {**EMOJI, "shortcode": "x2", "image_url": "ftp://x/y"})[1] == (
        "invalid_url_scheme"
    )
    assert admin.api.error("POST", "/custom_emoji", {**EMOJI, "shortcode": "x3", "alt_text": " "})[1] == (
        "invalid_body_field"
    )
    assert list(_site_emojis(api)) == ["party_parrot"]


def test_members_cannot_manage_emoji(server, api):
    admin = make_admin(server)
    emoji_id = admin.api.post("/custom_emoji", EMOJI)["custom_emoji"]["custom_emoji"]["id"]
    member = api.register()
    assert member.api.error("POST", "/custom_emoji", {**EMOJI, "shortcode": "mine"})[1] == "not_an_admin"
    edit = {"id": emoji_id, "image_url": "https://evil.example/x.gif", "alt_text": "x", "category": "x"}
    assert member.api.error("PUT", "/custom_emoji", edit)[1] == "not_an_admin"
    assert member.api.error("POST", "/custom_emoji/delete", {"id": emoji_id})[1] == "not_an_admin"
    assert api.error("POST", "/custom_emoji/delete", {"id": emoji_id})[0] == 401
    assert _site_emojis(api)["party_parrot"]["custom_emoji"]["image_url"] == EMOJI["image_url"]
