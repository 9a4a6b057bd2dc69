import pytest


@pytest.fixture
def thread(api):
    member = api.register()
    cid = member.community()["community"]["id"]
    pid = member.post(cid)["post"]["id"]
    return member, pid


def test_replies_build_a_materialised_path(thread, api):
    member, pid = thread
    top = member.comment(pid, "top")
    reply = member.comment(pid, "reply", parent_id=top["comment"]["id"])
    deeper = member.comment(pid, "deeper", parent_id=reply["comment"]["id"])
    assert top["comment"]["path"] == f"0.{top['comment']['id']}"
    assert reply["comment"]["path"] == f"{top['comment']['path']}.{reply['comment']['id']}"
    assert deeper["comment"]["path"].count(".") == 3
    got = api.get("/comment", id=top["comment"]["id"])["comment_view"]
    assert got["counts"]["child_count"] == 2
    assert api.get("/post", id=pid)["post_view"]["counts"]["comments"] == 3


def test_tree_mode_limits_depth_and_puts_parents_first(thread, api):
    member, pid = thread
    a = member.comment(pid, "a")["comment"]["id"]
    b = member.comment(pid, "b", parent_id=a)["comment"]["id"]
    c = member.comment(pid, "c", parent_id=b)["comment"]["id"]
    d = member.comment(pid, "d")["comment"]["id"]
    full = api.get("/comment/list", post_id=pid, max_depth=8, sort="New", type_="All")["comments"]
    ids = [x["comment"]["id"] for x in full]
    assert set(ids) == {a, b, c, d}
    position = {cid: i for i, cid in enumerate(ids)}
    assert position[a] < position[b] < position[c]
    shallow = api.get("/comment/list", post_id=pid, max_depth=1, sort="New")["comments"]
    assert [x["comment"]["id"] for x in shallow] == [d, a]
    subtree = api.get("/comment/list", parent_id=a, max_depth=1, sort="New")["comments"]
    assert {x["comment"]["id"] for x in subtree} == {a, b}


def test_flat_mode_pages(thread, api):
    member, pid = thread
    made = [member.comment(pid, f"c{i}")["comment"]["id"] for i in range(7)]
    page1 = api.get("/comment/list", post_id=pid, sort="Old", limit=4, page=1)["comments"]
    page2 = api.get("/comment/list", post_id=pid, sort="Old", limit=4, page=2)["comments"]
    assert [c["comment"]["id"] for c in page1 + page2] == made
    assert api.error("GET", "/comment/list", post_id=pid, limit=100)[1] == "couldnt_get_comments"


def test_comment_sorts(thread, api):
    member, pid = thread
    first = member.comment(pid, "first")["comment"]["id"]
    second = member.comment(pid, "second")["comment"]["id"]
    api.register().vote_comment(first, 1)
    top = api.get("/comment/list", post_id=pid, sort="Top")["comments"]
    assert top[0]["comment"]["id"] == first
    new = api.get("/comment/list", post_id=pid, sort="New")["comments"]
    assert new[0]["comment"]["id"] == second
    old = api.get("/comment/list", post_id=pid, sort="Old")["comments"]
    assert old[0]["comment"]["id"] == first


def test_edit_and_delete_only_by_creator(thread, api):
    member, pid = thread
    cid = member.comment(pid, "original")["comment"]["id"]
    other = api.register()
    assert other.api.error("PUT", "/comment", {"comment_id": cid, "content": "mine"})[1] == "no_comment_edit_allowed"
    assert other.api.error("POST", "/comment/delete", {"comment_id": cid, "deleted": True})[1] == (
        "no_comment_edit_allowed"
    )
    edited = member.api.put("/comment", {"comment_id": cid, "content": "edited"})["comment_view"]
    assert edited["comment"]["content"] == "edited" and "updated" in edited["comment"]
    member.api.post("/comment/delete", {"comment_id": cid, "deleted": True})
    listed = api.get("/comment/list", post_id=pid)["comments"]
    assert listed[0]["comment"]["deleted"] is True and listed[0]["comment"]["content"] == ""
    assert api.get("/post", id=pid)["post_view"]["counts"]["comments"] == 0
    member.api.post("/comment/delete", {"comment_id": cid, "deleted": False})
    assert api.get("/post", id=pid)["post_view"]["counts"]["comments"] == 1


def test_comment_validation(thread, api):
    member, pid = thread
    assert member.api.error("POST", "/comment", {"post_id": pid, "content": ""})[1] == "invalid_body_field"
    assert member.api.error("POST", "/comment", {"post_id": pid, "content": "x" * 10_001})[1] == "invalid_body_field"
    assert member.api.error("POST", "/comment", {"post_id": 999999, "content": "hi"})[1] == "couldnt_find_post"
    other_post = member.post(member.community()["community"]["id"])["post"]["id"]
    foreign_parent = member.comment(other_post)["comment"]["id"]
    body = {"post_id": pid, "content": "hi", "parent_id": foreign_parent}
    assert member.api.error("POST", "/comment", body)[1] == "couldnt_create_comment"
    assert api.error("POST", "/comment", {"post_id": pid, "content": "anon"}) == (401, "incorrect_login")


def test_depth_limit(thread):
    member, pid = thread
    parent = None
    for _ in range(50):  # Lemmy refuses replies to a comment whose path has more than 50 segments
        parent = member.comment(pid, "deeper", parent_id=parent)["comment"]["id"]
    body = {"post_id": pid, "content": "too deep", "parent_id": parent}
    assert member.api.error("POST", "/comment", body)[1] == "max_comment_depth_reached"


def test_save_comment_and_saved_only(thread, api):
    member, pid = thread
    cid = member.comment(pid)["comment"]["id"]
    reader = api.register()
    assert reader.api.put("/comment/save", {"comment_id": cid, "save": True})["comment_view"]["saved"] is True
    saved = reader.api.get("/comment/list", saved_only=True)["comments"]
    assert [c["comment"]["id"] for c in saved] == [cid]
    details = reader.api.get("/user", username=reader.name, saved_only=True)
    assert [c["comment"]["id"] for c in details["comments"]] == [cid]
