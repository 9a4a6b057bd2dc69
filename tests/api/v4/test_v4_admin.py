"""API v4: the site's edits, custom emoji, taglines, registration applications, post extras and vote lists."""

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin


def test_admin_edits_the_site_in_1_0_names(server, v4):
    admin = V4Member(v4, make_admin(server).name)
    answer = admin.api.put(
        "/site",
        {
            "summary": "A place",
            "registration_mode": "require_application",
            "application_question": "Why?",
            "default_post_sort_type": "new",
            "rate_limit_post_max_requests": 7,
            "nsfw_content_disallowed": True,
        },
    )
    local_site = answer["site_view"]["local_site"]
    assert answer["site_view"]["site"]["summary"] == "A place"
    assert (local_site["registration_mode"], local_site["default_post_sort_type"]) == ("require_application", "new")
    assert local_site["nsfw_content_disallowed"] is True
    assert answer["site_view"]["local_site_rate_limit"]["post_max_requests"] == 7
    site = v4.get("/site")["site_view"]
    assert site["local_site"]["application_question"] == "Why?"
    assert v4.as_(None).error("PUT", "/site", {"summary": "no"})[0] in (400, 401)


def test_registration_applications_through_v4(server, v4):
    admin = V4Member(v4, make_admin(server).name)
    admin.api.put("/site", {"registration_mode": "require_application", "application_question": "Why?"})
    answer = v4.post(
        "/account/auth/register",
        {
            "username": "applicant4",
            "password": "correct horse battery",
            "password_verify": "correct horse battery",
            "answer": "I like it",
        },
    )
    assert answer == {"registration_created": True, "verify_email_sent": False}
    listed = admin.api.get("/admin/registration_application/list", unread_only=True)["items"]
    assert [a["registration_application"]["answer"] for a in listed] == ["I like it"]
    approved = admin.api.put(
        "/admin/registration_application/approve", {"id": listed[0]["registration_application"]["id"], "approve": True}
    )
    assert approved["registration_application"]["admin"]["name"] == admin.name
    assert v4.post("/account/auth/login", {"username_or_email": "applicant4", "password": "correct horse battery"})[
        "jwt"
    ]


def test_custom_emoji_and_taglines(server, v4):
    admin = V4Member(v4, make_admin(server).name)
    made = admin.api.post(
        "/custom_emoji",
        {
            "category": "fun",
            "shortcode": "wave",
            "image_url": "https://example.com/wave.png",
            "alt_text": "a wave",
            "keywords": ["hi"],
        },
    )["custom_emoji"]
    assert made["custom_emoji"]["shortcode"] == "wave" and made["keywords"][0]["keyword"] == "hi"
    assert [e["custom_emoji"]["shortcode"] for e in v4.get("/custom_emoji/list")["custom_emojis"]] == ["wave"]
    assert v4.get("/custom_emoji/list", category="other")["custom_emojis"] == []
    assert admin.api.post("/custom_emoji/delete", {"id": made["custom_emoji"]["id"]}) == {"success": True}
    assert v4.get("/admin/tagline/list")["items"] == []


def test_post_extras_hide_read_many_and_vote_lists(join):
    mod, reader = join(), join()
    cid = mod.community()["community"]["id"]
    first, second = (mod.post(cid, name=f"Post {n}")["post"]["id"] for n in range(2))
    comment = mod.comment(first)["comment"]["id"]
    assert reader.api.post("/post/mark_as_read/many", {"post_ids": [first, second], "read": True}) == {"success": True}
    assert reader.api.get("/post", id=second)["post_view"]["post_actions"]["read_at"]
    hidden = reader.api.post("/post/hide", {"post_id": second, "hide": True})["post_view"]
    assert hidden["post_actions"]["hidden_at"]
    assert second not in [p["post"]["id"] for p in reader.api.get("/post/list", community_id=cid)["items"]]
    reader.api.post("/post/like", {"post_id": first, "is_upvote": False})
    reader.api.post("/comment/like", {"comment_id": comment, "is_upvote": True})
    likes = mod.api.get("/post/like/list", post_id=first)["items"]
    assert sorted((v["creator"]["name"], v["is_upvote"]) for v in likes) == sorted(
        [(mod.name, True), (reader.name, False)]
    )
    assert any(v["is_upvote"] for v in mod.api.get("/comment/like/list", comment_id=comment)["items"])
    assert reader.api.error("GET", "/post/like/list", post_id=first)[1] == "not_a_mod_or_admin"
