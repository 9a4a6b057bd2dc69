"""API v4's taglines one at a time: admins create, edit and delete them; everyone lists them, paged; the same rows
v3's site edit writes as a list."""

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin


def contents(api, **params) -> list[str]:
    return [t["content"] for t in api.get("/admin/tagline/list", **params)["items"]]


def test_admins_create_edit_and_delete_taglines(server, v4, join):
    admin = V4Member(v4, make_admin(server).name)
    made = admin.api.post("/admin/tagline", {"content": "  Welcome **home**  "})["tagline"]
    assert made["content"] == "Welcome **home**" and made["published_at"] and "updated_at" not in made
    other = admin.api.post("/admin/tagline", {"content": "Second"})["tagline"]
    assert contents(v4) == ["Welcome **home**", "Second"]
    edited = admin.api.put("/admin/tagline", {"id": made["id"], "content": "Welcome back"})["tagline"]
    assert (edited["id"], edited["content"]) == (made["id"], "Welcome back") and edited["updated_at"]
    assert admin.api.request("DELETE", "/admin/tagline", {"id": other["id"]}).json() == {"success": True}
    assert contents(v4) == ["Welcome back"]
    assert v4.get("/site")["tagline"]["content"] == "Welcome back"  # GET /site shows one of them
    assert admin.api.error("DELETE", "/admin/tagline", {"id": other["id"]}) == (404, "not_found")
    assert admin.api.error("PUT", "/admin/tagline", {"id": other["id"], "content": "x"}) == (404, "not_found")


def test_members_cannot_write_taglines_and_bad_ones_are_refused(server, v4, join):
    admin, member = V4Member(v4, make_admin(server).name), join()
    assert member.api.error("POST", "/admin/tagline", {"content": "mine"})[1] == "not_an_admin"
    made = admin.api.post("/admin/tagline", {"content": "kept"})["tagline"]
    assert member.api.error("PUT", "/admin/tagline", {"id": made["id"], "content": "no"})[1] == "not_an_admin"
    assert member.api.error("DELETE", "/admin/tagline", {"id": made["id"]})[1] == "not_an_admin"
    assert admin.api.error("POST", "/admin/tagline", {"content": "   "}) == (400, "invalid_body_field")
    assert admin.api.error("POST", "/admin/tagline", {})[0] == 400
    admin.api.put("/site", {"slur_filter_regex": "badword"})
    assert admin.api.error("POST", "/admin/tagline", {"content": "a badword here"})[1] == "slurs"
    assert admin.api.error("PUT", "/admin/tagline", {"id": made["id"], "content": "badword"})[1] == "slurs"
    assert contents(v4) == ["kept"]


def test_the_tagline_list_pages_with_cursors(server, v4):
    admin = V4Member(v4, make_admin(server).name)
    for n in range(3):
        admin.api.post("/admin/tagline", {"content": f"line {n}"})
    first = v4.get("/admin/tagline/list", limit=2)
    assert [t["content"] for t in first["items"]] == ["line 0", "line 1"] and "prev_page" not in first
    second = v4.get("/admin/tagline/list", limit=2, page_cursor=first["next_page"])
    assert [t["content"] for t in second["items"]] == ["line 2"] and "next_page" not in second
    assert v4.error("GET", "/admin/tagline/list", page_cursor="Zzz")[0] == 400


def test_v3s_list_edit_and_v4s_one_row_writes_share_the_rows(server, v4, api):
    admin = V4Member(v4, make_admin(server).name)
    admin.api.post("/admin/tagline", {"content": "from v4"})
    v3_admin = api.login(admin.name)
    v3_admin.api.put("/site", {"taglines": ["from v3", " ", "and again"]})
    assert contents(v4) == ["from v3", "and again"]
    made = admin.api.post("/admin/tagline", {"content": "added in v4"})["tagline"]
    assert [t["content"] for t in api.get("/site")["taglines"]] == ["from v3", "and again", "added in v4"]
    assert made["id"] == v4.get("/admin/tagline/list")["items"][-1]["id"]
