"""API v4: /comment/list/slim lists what /comment/list does, without each comment's post and community."""


def test_slim_comments_page_like_the_full_listing_without_post_and_community(v4, join):
    alice, bob = join(), join()
    made = alice.community()["community"]["id"]
    post = alice.post(made)["post"]["id"]
    other = alice.post(made, name="another")["post"]["id"]
    ids = [bob.comment(post, content=f"comment {i}")["comment"]["id"] for i in range(5)]
    alice.comment(other, content="elsewhere")
    alice.api.post("/comment/like", {"comment_id": ids[0], "is_upvote": True})
    first = alice.api.get("/comment/list/slim", post_id=post, sort="new", limit=3)
    assert [item["comment"]["id"] for item in first["items"]] == ids[::-1][:3]
    assert set(first["items"][0]) >= {"comment", "creator", "creator_is_admin", "can_mod", "creator_banned"}
    assert not {"post", "community", "community_actions", "tags"} & set(first["items"][0])
    second = alice.api.get("/comment/list/slim", post_id=post, sort="new", limit=3, page_cursor=first["next_page"])
    assert [item["comment"]["id"] for item in second["items"]] == ids[1::-1]
    assert second["items"][-1]["comment_actions"]["vote_is_upvote"] is True
    full = alice.api.get("/comment/list", post_id=post, sort="new", limit=3, page_cursor=first["next_page"])
    assert [i["comment"]["id"] for i in full["items"]] == [i["comment"]["id"] for i in second["items"]]
    back = alice.api.get("/comment/list/slim", post_id=post, sort="new", limit=3, page_cursor=second["prev_page"])
    assert [item["comment"]["id"] for item in back["items"]] == ids[::-1][:3]
    tree = v4.get("/comment/list/slim", post_id=post, max_depth=2)
    assert len(tree["items"]) == 5 and "next_page" not in tree


def test_slim_comments_refuse_what_the_full_listing_refuses(v4):
    missing = v4.error("GET", "/comment/list", community_name="no_such_place")
    assert v4.error("GET", "/comment/list/slim", community_name="no_such_place") == missing == (404, "not_found")
    assert v4.error("GET", "/comment/list/slim", max_depth=2, page_cursor="N5")[1] == "invalid_body_field"
    assert v4.error("GET", "/comment/list/slim", limit=0)[0] == 400
