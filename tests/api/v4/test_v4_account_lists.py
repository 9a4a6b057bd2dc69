"""API v4: the member's own read and hidden posts (/account/read, /account/hidden), newest mark first."""


def _pages(api, path: str, limit: int) -> tuple[list[int], list[dict]]:
    """Every page of a listing, following next_page; the post ids in order and the answers."""
    ids, answers, cursor = [], [], None
    while True:
        answer = api.get(path, limit=limit, page_cursor=cursor)
        answers.append(answer)
        ids += [item["post"]["id"] for item in answer["items"]]
        cursor = answer.get("next_page")
        if cursor is None or len(answers) > 10:
            return ids, answers


def test_read_posts_list_newest_mark_first_across_pages(v4, join):
    alice, bob = join(), join()
    made = alice.community()["community"]["id"]
    posts = [alice.post(made, name=f"post {i}")["post"]["id"] for i in range(5)]
    for post_id in (posts[2], posts[0], posts[4], posts[1]):  # the order bob reads them in
        bob.api.post("/post/mark_as_read", {"post_id": post_id, "read": True})
    ids, answers = _pages(bob.api, "/account/read", limit=3)
    assert ids == [posts[1], posts[4], posts[0], posts[2]]
    assert len(answers) == 2 and "prev_page" not in answers[0]
    assert all(item["post_actions"]["read_at"] for item in answers[0]["items"])
    back = bob.api.get("/account/read", limit=3, page_cursor=answers[1]["prev_page"])
    assert [item["post"]["id"] for item in back["items"]] == ids[:3]
    assert join().api.get("/account/read")["items"] == []  # marks are the member's own
    bob.api.post("/post/mark_as_read", {"post_id": posts[4], "read": False})
    assert [item["post"]["id"] for item in bob.api.get("/account/read")["items"]] == [posts[1], posts[0], posts[2]]


def test_hidden_posts_list_only_the_hidden_ones(v4, join):
    alice, bob = join(), join()
    made = alice.community()["community"]["id"]
    posts = [alice.post(made, name=f"post {i}")["post"]["id"] for i in range(3)]
    bob.api.post("/post/hide", {"post_id": posts[0], "hide": True})
    bob.api.post("/post/hide", {"post_id": posts[2], "hide": True})
    bob.api.post("/post/mark_as_read", {"post_id": posts[1], "read": True})
    hidden = bob.api.get("/account/hidden")["items"]
    assert [item["post"]["id"] for item in hidden] == [posts[2], posts[0]]
    assert all(item["post_actions"]["hidden_at"] for item in hidden)
    assert [item["post"]["id"] for item in bob.api.get("/account/read")["items"]] == [posts[1]]


def test_marked_lists_need_a_login_and_a_cursor_they_gave(v4, join):
    alice = join()
    assert v4.error("GET", "/account/read")[0] == 401
    assert v4.error("GET", "/account/hidden")[0] == 401
    assert alice.api.error("GET", "/account/read", page_cursor="N999999")[1] == "invalid_body_field"
    assert alice.api.error("GET", "/account/hidden", page_cursor="O2")[1] == "invalid_body_field"
    assert alice.api.error("GET", "/account/hidden", limit=0)[0] == 400
