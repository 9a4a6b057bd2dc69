from concurrent.futures import ThreadPoolExecutor

import pytest


@pytest.fixture
def target(api):
    author = api.register()
    cid = author.community()["community"]["id"]
    post = author.post(cid)["post"]["id"]
    comment = author.comment(post)["comment"]["id"]
    return author, post, comment


def test_post_votes_change_score_and_my_vote(target, api):
    author, post, _ = target
    voter = api.register()
    up = voter.vote_post(post, 1)
    assert (up["counts"]["score"], up["counts"]["upvotes"], up["my_vote"]) == (2, 2, 1)
    down = voter.vote_post(post, -1)
    assert (down["counts"]["score"], down["counts"]["upvotes"], down["counts"]["downvotes"]) == (0, 1, 1)
    cleared = voter.vote_post(post, 0)
    assert cleared["counts"]["score"] == 1 and "my_vote" not in cleared
    assert api.get("/user", username=author.name)["person_view"]["counts"]["post_count"] == 1


def test_comment_votes(target, api):
    _author, _post, comment = target
    voter = api.register()
    view = voter.vote_comment(comment, -1)
    assert (view["counts"]["score"], view["counts"]["downvotes"], view["my_vote"]) == (0, 1, -1)


def test_invalid_vote_and_disabled_downvotes(target, server, api):
    from tests.support.admin import make_admin

    _author, post, comment = target
    voter = api.register()
    assert voter.api.error("POST", "/post/like", {"post_id": post, "score": 2})[1] == "invalid_vote_value"
    make_admin(server).api.put("/site", {"enable_downvotes": False})
    assert voter.api.error("POST", "/post/like", {"post_id": post, "score": -1})[1] == "downvotes_are_disabled"
    assert voter.api.error("POST", "/comment/like", {"comment_id": comment, "score": -1})[1] == (
        "downvotes_are_disabled"
    )


def test_bots_cannot_vote(target, api):
    _author, post, _ = target
    bot = api.register()
    bot.api.put("/user/save_user_settings", {"bot_account": True})
    assert bot.api.error("POST", "/post/like", {"post_id": post, "score": 1})[1] == "invalid_bot_action"


def test_concurrent_votes_keep_exact_counts(target, api):
    _author, post, comment = target
    voters = [api.register() for _ in range(12)]

    def vote(i_voter):
        i, voter = i_voter
        voter.vote_post(post, 1 if i % 3 else -1)
        voter.vote_comment(comment, 1)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(vote, enumerate(voters)))
    counts = api.get("/post", id=post)["post_view"]["counts"]
    ups = 1 + sum(1 for i in range(12) if i % 3)
    downs = sum(1 for i in range(12) if not i % 3)
    assert (counts["upvotes"], counts["downvotes"], counts["score"]) == (ups, downs, ups - downs)
    assert api.get("/comment", id=comment)["comment_view"]["counts"]["score"] == 13


def test_votes_follow_the_community_ban_and_refuse_deleted_or_missing_targets(target, api):
    author, post, comment = target
    community = api.get("/post", id=post)["post_view"]["community"]["id"]
    voter = api.register()
    elsewhere = voter.post(voter.community()["community"]["id"])["post"]["id"]
    ban = {"community_id": community, "person_id": voter.person_id, "ban": True}
    author.api.post("/community/ban_user", ban)
    assert voter.api.error("POST", "/post/like", {"post_id": post, "score": 1})[1] == "banned_from_community"
    assert voter.api.error("POST", "/comment/like", {"comment_id": comment, "score": 1})[1] == "banned_from_community"
    assert voter.vote_post(elsewhere, 1)["counts"]["score"] == 1  # allowed elsewhere (the author's vote was there)
    author.api.post("/community/ban_user", {**ban, "ban": False})
    assert voter.vote_comment(comment, 1)["counts"]["score"] == 2

    author.api.post("/comment/delete", {"comment_id": comment, "deleted": True})
    assert voter.api.error("POST", "/comment/like", {"comment_id": comment, "score": -1})[1] == "deleted"
    author.api.post("/post/delete", {"post_id": post, "deleted": True})
    assert voter.api.error("POST", "/post/like", {"post_id": post, "score": 1})[1] == "deleted"
    assert voter.api.error("POST", "/post/like", {"post_id": post + 1000, "score": 1})[1] == "couldnt_find_post"
    missing = {"comment_id": comment + 1000, "score": 1}
    assert voter.api.error("POST", "/comment/like", missing)[1] == "couldnt_find_comment"
