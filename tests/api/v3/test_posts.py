import pytest

from tests.support.client import unique_name


@pytest.fixture
def setting(api):
    member = api.register()
    community = member.community()
    return member, community["community"]["id"]


def test_create_post_starts_with_own_upvote(setting):
    member, cid = setting
    view = member.post(cid, "Link post", url="https://example.com/article", body="some *markdown*", nsfw=False)
    assert view["post"]["name"] == "Link post"
    assert view["post"]["url"] == "https://example.com/article"
    assert view["post"]["body"] == "some *markdown*"
    assert view["post"]["ap_id"].endswith(f"/post/{view['post']['id']}")
    assert view["counts"]["score"] == 1 and view["counts"]["upvotes"] == 1
    assert view["my_vote"] == 1
    assert view["creator"]["name"] == member.name
    assert view["creator_is_moderator"] is True


def test_post_validation_matches_lemmy(setting, api):
    member, cid = setting

    def refused(**body):
        return member.api.error("POST", "/post", {"name": "valid title", "community_id": cid, **body})[1]

    assert refused(name="ab") == "invalid_post_title"
    assert refused(name="x" * 201) == "invalid_post_title"
    assert refused(name="two\nlines") == "invalid_post_title"
    assert refused(url="ftp://example.com/file") == "invalid_url_scheme"
    assert refused(url="https://example.com/" + "a" * 2001) == "url_length_overflow"
    assert refused(body="b" * 50_001) == "invalid_body_field"
    assert refused(community_id=987654) == "couldnt_find_community"
    assert refused(honeypot="gotcha") == "honeypot_failed"
    assert refused(language_id=99999) == "language_not_allowed"
    assert member.api.error("POST", "/post", {"community_id": cid})[1] == "unknown"
    assert api.get("/community", id=cid)["community_view"]["counts"]["posts"] == 0


def test_edit_post_sets_updated_and_only_by_creator(setting, api):
    member, cid = setting
    post = member.post(cid, "Original title")
    pid = post["post"]["id"]
    assert "updated" not in post["post"]
    other = api.register()
    assert other.api.error("PUT", "/post", {"post_id": pid, "name": "Hijacked"})[1] == "no_post_edit_allowed"
    edited = member.api.put("/post", {"post_id": pid, "name": "Edited title", "body": "now with body"})["post_view"]
    assert edited["post"]["name"] == "Edited title"
    assert edited["post"]["body"] == "now with body"
    assert "updated" in edited["post"]
    cleared = member.api.put("/post", {"post_id": pid, "body": ""})["post_view"]
    assert "body" not in cleared["post"]


def test_delete_and_restore_post_adjusts_counts(setting, api):
    member, cid = setting
    pid = member.post(cid)["post"]["id"]
    other = api.register()
    assert other.api.error("POST", "/post/delete", {"post_id": pid, "deleted": True})[1] == "no_post_edit_allowed"
    member.api.post("/post/delete", {"post_id": pid, "deleted": True})
    assert api.get("/community", id=cid)["community_view"]["counts"]["posts"] == 0
    assert api.error("GET", "/post", id=pid)[1] == "couldnt_find_post"
    assert member.api.get("/post", id=pid)["post_view"]["post"]["deleted"] is True
    assert pid not in [p["post"]["id"] for p in api.get("/post/list", type_="All")["posts"]]
    member.api.post("/post/delete", {"post_id": pid, "deleted": False})
    assert api.get("/community", id=cid)["community_view"]["counts"]["posts"] == 1
    assert api.get("/user", username=member.name)["person_view"]["counts"]["post_count"] == 1


def test_get_post_returns_community_moderators_and_cross_posts(setting, api):
    member, cid = setting
    first = member.post(cid, "First share", url="https://example.com/same")
    other_cid = member.community()["community"]["id"]
    second = member.post(other_cid, "Second share", url="https://example.com/same")
    got = api.get("/post", id=first["post"]["id"])
    assert got["community_view"]["community"]["id"] == cid
    assert [m["moderator"]["name"] for m in got["moderators"]] == [member.name]
    assert [p["post"]["id"] for p in got["cross_posts"]] == [second["post"]["id"]]
    assert api.error("GET", "/post", id=424242)[1] == "couldnt_find_post"


def test_get_post_by_comment_id(setting, api):
    member, cid = setting
    pid = member.post(cid)["post"]["id"]
    comment = member.comment(pid)
    assert api.get("/post", comment_id=comment["comment"]["id"])["post_view"]["post"]["id"] == pid


def test_save_mark_read_and_hide(setting, api):
    member, cid = setting
    pid = member.post(cid, "Keep me")["post"]["id"]
    reader = api.register()
    saved = reader.api.put("/post/save", {"post_id": pid, "save": True})["post_view"]
    assert saved["saved"] is True
    assert [p["post"]["id"] for p in reader.api.get("/post/list", type_="All", saved_only=True)["posts"]] == [pid]
    reader.api.post("/post/mark_as_read", {"post_ids": [pid], "read": True})
    assert reader.api.get("/post/list", type_="All")["posts"][0]["read"] is True
    hidden = reader.api.post("/post/hide", {"post_ids": [pid], "hide": True})
    assert hidden == {"success": True}
    assert pid not in [p["post"]["id"] for p in reader.api.get("/post/list", type_="All")["posts"]]
    shown = reader.api.get("/post/list", type_="All", show_hidden=True)["posts"]
    assert shown[0]["post"]["id"] == pid and shown[0]["hidden"] is True


def test_nsfw_posts_hidden_from_anonymous_unless_asked(setting, api):
    member, cid = setting
    member.post(cid, "Safe one")
    member.post(cid, "Spicy one", nsfw=True)
    titles = [p["post"]["name"] for p in api.get("/post/list", type_="All")["posts"]]
    assert "Spicy one" not in titles and "Safe one" in titles
    titles = [p["post"]["name"] for p in api.get("/post/list", type_="All", show_nsfw=True)["posts"]]
    assert "Spicy one" in titles


def test_community_name_filter_and_unknown_community(setting, api):
    member, cid = setting
    name = api.get("/community", id=cid)["community_view"]["community"]["name"]
    member.post(cid, "In the community")
    assert [p["post"]["name"] for p in api.get("/post/list", community_name=name)["posts"]] == ["In the community"]
    assert api.error("GET", "/post/list", community_name=unique_name("none"))[1] == "couldnt_find_community"
