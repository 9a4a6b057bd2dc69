"""Every moderation and admin action is refused to a plain member and to a moderator of another community,
and nothing changes when it is."""

import pytest

# (method, path, body builder, error for a plain member / another community's moderator)
ROUTES = [
    ("POST", "/post/remove", lambda s: {"post_id": s["post"], "removed": True}, "not_a_mod_or_admin"),
    ("POST", "/post/lock", lambda s: {"post_id": s["post"], "locked": True}, "not_a_mod_or_admin"),
    (
        "POST",
        "/post/feature",
        lambda s: {"post_id": s["post"], "featured": True, "feature_type": "Community"},
        "not_a_mod_or_admin",
    ),
    (
        "POST",
        "/post/feature",
        lambda s: {"post_id": s["post"], "featured": True, "feature_type": "Local"},
        "not_an_admin",
    ),
    ("POST", "/comment/remove", lambda s: {"comment_id": s["comment"], "removed": True}, "not_a_mod_or_admin"),
    (
        "POST",
        "/comment/distinguish",
        lambda s: {"comment_id": s["comment"], "distinguished": True},
        "not_a_mod_or_admin",
    ),
    ("POST", "/community/remove", lambda s: {"community_id": s["community"], "removed": True}, "not_an_admin"),
    ("PUT", "/community/hide", lambda s: {"community_id": s["community"], "hidden": True}, "not_an_admin"),
    (
        "POST",
        "/community/ban_user",
        lambda s: {"community_id": s["community"], "person_id": s["author"], "ban": True},
        "not_a_mod_or_admin",
    ),
    (
        "POST",
        "/community/mod",
        lambda s: {"community_id": s["community"], "person_id": s["author"], "added": True},
        "not_a_mod_or_admin",
    ),
    (
        "POST",
        "/community/transfer",
        lambda s: {"community_id": s["community"], "person_id": s["author"]},
        "not_top_mod",
    ),
    ("POST", "/community/delete", lambda s: {"community_id": s["community"], "deleted": True}, "not_top_mod"),
    ("PUT", "/post/report/resolve", lambda s: {"report_id": s["post_report"], "resolved": True}, "not_a_mod_or_admin"),
    (
        "PUT",
        "/comment/report/resolve",
        lambda s: {"report_id": s["comment_report"], "resolved": True},
        "not_a_mod_or_admin",
    ),
    ("POST", "/agora/warning", lambda s: {"post_id": s["post"], "reason": "x"}, "not_a_mod_or_admin"),
    ("POST", "/user/ban", lambda s: {"person_id": s["author"], "ban": True}, "not_an_admin"),
    ("POST", "/admin/add", lambda s: {"person_id": s["author"], "added": True}, "not_an_admin"),
    ("POST", "/admin/purge/person", lambda s: {"person_id": s["author"]}, "not_an_admin"),
    ("POST", "/admin/purge/community", lambda s: {"community_id": s["community"]}, "not_an_admin"),
    ("POST", "/admin/purge/post", lambda s: {"post_id": s["post"]}, "not_an_admin"),
    ("POST", "/admin/purge/comment", lambda s: {"comment_id": s["comment"]}, "not_an_admin"),
    ("PUT", "/admin/registration_application/approve", lambda s: {"id": 1, "approve": True}, "not_an_admin"),
    ("GET", "/admin/registration_application/list", lambda s: {}, "not_an_admin"),
    ("GET", "/admin/registration_application/count", lambda s: {}, "not_an_admin"),
    ("GET", "/user/banned", lambda s: {}, "not_an_admin"),
]


@pytest.fixture(scope="module")
def stage(server_factory_module):
    server = server_factory_module()
    api = server.api()
    mod = api.register()
    community = mod.community()["community"]["id"]
    author = api.register()
    post = author.post(community)["post"]["id"]
    comment = author.comment(post)["comment"]["id"]
    reporter = api.register()
    post_report = reporter.api.post("/post/report", {"post_id": post, "reason": "r"})["post_report_view"]
    comment_report = reporter.api.post("/comment/report", {"comment_id": comment, "reason": "r"})
    other_mod = api.register()
    other_mod.community()
    return {
        "api": api,
        "plain": reporter,
        "other_mod": other_mod,
        "community": community,
        "author": author.person_id,
        "post": post,
        "comment": comment,
        "post_report": post_report["post_report"]["id"],
        "comment_report": comment_report["comment_report_view"]["comment_report"]["id"],
    }


def _state(stage) -> tuple:
    api = stage["api"]
    post = api.get("/post", id=stage["post"])["post_view"]
    comment = api.get("/comment", id=stage["comment"])["comment_view"]["comment"]
    community = api.get("/community", id=stage["community"])
    return (
        post["post"]["removed"],
        post["post"]["locked"],
        post["post"]["featured_community"],
        post["post"]["featured_local"],
        comment["removed"],
        comment["distinguished"],
        community["community_view"]["community"]["removed"],
        community["community_view"]["community"]["hidden"],
        [m["moderator"]["id"] for m in community["moderators"]],
        post["creator_banned_from_community"],
        len(api.get("/modlog")["removed_posts"]),
    )


@pytest.mark.parametrize("who", ["plain", "other_mod"])
@pytest.mark.parametrize(("method", "path", "body", "error"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_refused_and_nothing_changes(stage, who, method, path, body, error):
    before = _state(stage)
    caller = stage[who].api
    if method == "GET":
        status, code = caller.error("GET", path, **body(stage))
    else:
        status, code = caller.error(method, path, body(stage))
    assert (status, code) == (400, error)
    assert _state(stage) == before


def test_anonymous_callers_must_log_in(stage):
    for method, path, body, _ in ROUTES:
        args = body(stage)
        status, code = (
            stage["api"].error(method, path, **args) if method == "GET" else stage["api"].error(method, path, args)
        )
        assert (status, code) == (401, "incorrect_login"), path
