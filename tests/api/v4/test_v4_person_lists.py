"""API v4: /person/list (everyone, by sort, search and community) and /admin/users (admins only)."""

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin
from tests.support.client import unique_name


def _ids(answer: dict, key: str = "person") -> list[int]:
    return [item[key]["id"] for item in answer["items"]]


def _all_pages(api, path: str, limit: int, **params) -> tuple[list[int], int]:
    ids, pages, cursor = [], 0, None
    while pages < 20:
        answer = api.get(path, limit=limit, page_cursor=cursor, **params)
        pages += 1
        ids += _ids(answer)
        cursor = answer.get("next_page")
        if cursor is None:
            break
    return ids, pages


def test_person_list_pages_newest_first_and_back(v4, join):
    people = [join() for _ in range(5)]
    mine = [p.api.get("/account")["local_user_view"]["person"]["id"] for p in people]
    ids, pages = _all_pages(v4, "/person/list", 2)
    assert [i for i in ids if i in mine] == mine[::-1]
    assert len(ids) == len(set(ids)) and pages >= 3
    first = v4.get("/person/list", limit=2)
    second = v4.get("/person/list", limit=2, page_cursor=first["next_page"])
    assert "prev_page" not in first
    assert _ids(v4.get("/person/list", limit=2, page_cursor=second["prev_page"])) == _ids(first)
    old = _ids(v4.get("/person/list", sort="old", limit=50, type_="local"))
    assert [i for i in old if i in mine] == mine


def test_person_list_searches_sorts_by_score_and_lists_a_community(v4, join):
    tag = unique_name("zz")
    alice, bob, carol = join(f"{tag}a"), join(f"{tag}b"), join()
    made = alice.community()["community"]["id"]
    post = alice.post(made)["post"]["id"]
    bob.api.post("/post/like", {"post_id": post, "is_upvote": True})
    carol.api.post("/post/like", {"post_id": post, "is_upvote": True})
    found = v4.get("/person/list", search_term=tag, sort="post_score")
    assert [item["person"]["name"] for item in found["items"]] == [alice.name, bob.name]  # newest is bob
    assert found["items"][0]["is_admin"] is False
    carol.api.put("/account/settings/save", {"bio": f"about {tag}"})
    assert carol.name in [i["person"]["name"] for i in v4.get("/person/list", search_term=tag)["items"]]
    by_title = v4.get("/person/list", search_term=tag, search_title_only=True)["items"]
    assert carol.name not in [i["person"]["name"] for i in by_title]
    carol.api.post("/community/follow", {"community_id": made, "follow": True})
    members = [item["person"]["name"] for item in v4.get("/person/list", community_id=made)["items"]]
    assert carol.name in members and bob.name not in members


def test_person_list_refuses_bad_requests(v4):
    assert v4.error("GET", "/person/list", sort="hot")[0] == 400
    assert v4.error("GET", "/person/list", page_cursor="N2147483647")[1] == "invalid_body_field"
    assert v4.error("GET", "/person/list", page_cursor="garbage")[1] == "invalid_body_field"
    assert v4.error("GET", "/person/list", limit=51)[0] == 400


def test_admin_users_lists_local_users_for_admins_only(server, v4, join):
    admin = V4Member(v4, make_admin(server).name)
    alice, bob, carol = join(), join(), join()
    ids = [m.api.get("/account")["local_user_view"]["person"]["id"] for m in (alice, bob, carol)]
    assert alice.api.error("GET", "/admin/users")[1] == "not_an_admin"
    assert v4.error("GET", "/admin/users")[0] == 401
    listed, pages = _all_pages(admin.api, "/admin/users", 2)
    assert listed[:3] == ids[::-1] and pages >= 2
    first = admin.api.get("/admin/users", limit=1)["items"][0]
    assert first["local_user"]["person_id"] == ids[-1] and "show_nsfw" in first["local_user"]
    assert first["banned"] is False and "password_encrypted" not in first["local_user"]
    assert _ids(admin.api.get("/admin/users", sort="old", limit=50))[-3:] == ids
    admin.api.post("/admin/ban", {"person_id": ids[1], "ban": True, "reason": "spam"})
    banned = admin.api.get("/admin/users", banned_only=True)["items"]
    assert [item["person"]["id"] for item in banned] == [ids[1]] and banned[0]["banned"] is True
