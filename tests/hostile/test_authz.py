"""Who may call each write route: every one is listed here (a new route without an entry fails), every one that
needs a login refuses anonymous callers, and the owner-, moderator- and admin-only ones refuse a plain member —
leaving the target unchanged."""

import pytest

from tests.support.admin import make_admin

# role: "public" anyone; "member" any logged-in member; "owner" the author/sender/top mod only;
# "mod" a moderator of the community (or an admin); "admin" admins only.
ROUTES = {
    ("POST", "/admin/add"): ("admin", lambda s: {"person_id": s["other"], "added": True}),
    ("POST", "/admin/purge/comment"): ("admin", lambda s: {"comment_id": s["comment"]}),
    ("POST", "/admin/purge/community"): ("admin", lambda s: {"community_id": s["community"]}),
    ("POST", "/admin/purge/person"): ("admin", lambda s: {"person_id": s["owner"]}),
    ("POST", "/admin/purge/post"): ("admin", lambda s: {"post_id": s["post"]}),
    ("PUT", "/admin/registration_application/approve"): ("admin", lambda s: {"id": 1, "approve": True}),
    ("PUT", "/agora/keyword_filter"): ("member", lambda s: {"keywords": []}),
    ("POST", "/agora/poll/vote"): ("member", lambda s: {"post_id": s["post"], "choice_ids": [1]}),
    ("POST", "/agora/warning"): ("mod", lambda s: {"post_id": s["post"], "reason": "x"}),
    ("POST", "/custom_emoji"): (
        "admin",
        lambda s: {
            "shortcode": "authz",
            "image_url": "https://example.org/a.png",
            "alt_text": "a",
            "category": "c",
            "keywords": [],
        },
    ),
    ("PUT", "/custom_emoji"): (
        "admin",
        lambda s: {"id": 1, "image_url": "https://example.org/a.png", "alt_text": "a", "category": "c", "keywords": []},
    ),
    ("POST", "/custom_emoji/delete"): ("admin", lambda s: {"id": 1}),
    ("POST", "/comment"): ("member", lambda s: {"post_id": s["post"], "content": "x"}),
    ("PUT", "/comment"): ("owner", lambda s: {"comment_id": s["comment"], "content": "changed"}),
    ("POST", "/comment/delete"): ("owner", lambda s: {"comment_id": s["comment"], "deleted": True}),
    ("POST", "/comment/distinguish"): ("mod", lambda s: {"comment_id": s["comment"], "distinguished": True}),
    ("POST", "/comment/like"): ("member", lambda s: {"comment_id": s["comment"], "score": 1}),
    ("POST", "/comment/mark_as_read"): ("owner", lambda s: {"comment_reply_id": s["reply"], "read": True}),
    ("POST", "/comment/remove"): ("mod", lambda s: {"comment_id": s["comment"], "removed": True}),
    ("POST", "/comment/report"): ("member", lambda s: {"comment_id": s["comment"], "reason": "x"}),
    ("PUT", "/comment/report/resolve"): ("mod", lambda s: {"report_id": s["comment_report"], "resolved": True}),
    ("PUT", "/comment/save"): ("member", lambda s: {"comment_id": s["comment"], "save": True}),
    ("POST", "/community"): ("member", lambda s: {"name": "authzcomm", "title": "Authz"}),
    ("PUT", "/community"): ("mod", lambda s: {"community_id": s["community"], "title": "Changed"}),
    ("POST", "/community/ban_user"): (
        "mod",
        lambda s: {"community_id": s["community"], "person_id": s["owner"], "ban": True},
    ),
    ("POST", "/community/block"): ("member", lambda s: {"community_id": s["community"], "block": True}),
    ("POST", "/community/delete"): ("owner", lambda s: {"community_id": s["community"], "deleted": True}),
    ("POST", "/community/follow"): ("member", lambda s: {"community_id": s["community"], "follow": True}),
    ("PUT", "/community/hide"): ("admin", lambda s: {"community_id": s["community"], "hidden": True}),
    ("POST", "/community/mod"): (
        "mod",
        lambda s: {"community_id": s["community"], "person_id": s["other"], "added": True},
    ),
    ("POST", "/community/remove"): ("admin", lambda s: {"community_id": s["community"], "removed": True}),
    ("POST", "/community/transfer"): ("owner", lambda s: {"community_id": s["community"], "person_id": s["other"]}),
    ("POST", "/community/aliases"): ("owner", lambda s: {"community_id": s["community"], "aliases": []}),
    ("POST", "/community/move"): ("owner", lambda s: {"community_id": s["community"], "target": "!x@example.invalid"}),
    ("POST", "/post"): ("member", lambda s: {"name": "Authz post", "community_id": s["community"]}),
    ("PUT", "/post"): ("owner", lambda s: {"post_id": s["post"], "name": "Changed title"}),
    ("POST", "/post/delete"): ("owner", lambda s: {"post_id": s["post"], "deleted": True}),
    ("POST", "/post/feature"): ("mod", lambda s: {"post_id": s["post"], "featured": True, "feature_type": "Community"}),
    ("POST", "/post/hide"): ("member", lambda s: {"post_ids": [s["post"]], "hide": True}),
    ("POST", "/post/like"): ("member", lambda s: {"post_id": s["post"], "score": 1}),
    ("POST", "/post/lock"): ("mod", lambda s: {"post_id": s["post"], "locked": True}),
    ("POST", "/post/mark_as_read"): ("member", lambda s: {"post_ids": [s["post"]], "read": True}),
    ("POST", "/post/remove"): ("mod", lambda s: {"post_id": s["post"], "removed": True}),
    ("POST", "/post/report"): ("member", lambda s: {"post_id": s["post"], "reason": "x"}),
    ("PUT", "/post/report/resolve"): ("mod", lambda s: {"report_id": s["post_report"], "resolved": True}),
    ("PUT", "/post/save"): ("member", lambda s: {"post_id": s["post"], "save": True}),
    ("POST", "/private_message"): ("member", lambda s: {"recipient_id": s["owner"], "content": "x"}),
    ("PUT", "/private_message"): ("owner", lambda s: {"private_message_id": s["message"], "content": "changed"}),
    ("POST", "/private_message/delete"): ("owner", lambda s: {"private_message_id": s["message"], "deleted": True}),
    ("POST", "/private_message/mark_as_read"): ("owner", lambda s: {"private_message_id": s["message"], "read": True}),
    ("POST", "/private_message/report"): ("owner", lambda s: {"private_message_id": s["message"], "reason": "x"}),
    ("PUT", "/private_message/report/resolve"): ("admin", lambda s: {"report_id": 1, "resolved": True}),
    ("PUT", "/site"): ("admin", lambda s: {"name": "Hijacked"}),
    ("POST", "/site"): ("admin", lambda s: {"name": "Hijacked"}),
    ("POST", "/site/block"): ("member", lambda s: {"instance_id": 1, "block": True}),
    ("POST", "/user/ban"): ("admin", lambda s: {"person_id": s["owner"], "ban": True}),
    ("POST", "/user/block"): ("member", lambda s: {"person_id": s["owner"], "block": True}),
    ("PUT", "/user/change_password"): (
        "member",
        lambda s: {"new_password": "p" * 12, "new_password_verify": "p" * 12, "old_password": "x" * 12},
    ),
    ("POST", "/user/delete_account"): ("member", lambda s: {"password": "wrong password", "delete_content": False}),
    ("POST", "/account/aliases"): ("member", lambda s: {"aliases": []}),
    ("POST", "/account/move"): ("member", lambda s: {"target": "@nobody@example.invalid", "password": "wrong"}),
    ("POST", "/user/donation_dialog_shown"): ("member", lambda s: {}),
    ("POST", "/user/import_settings"): ("member", lambda s: {}),
    ("POST", "/user/leave_admin"): ("admin", lambda s: {}),
    ("POST", "/user/login"): ("public", None),
    ("POST", "/user/logout"): ("member", lambda s: {}),
    ("POST", "/user/mark_all_as_read"): ("member", lambda s: {}),
    ("POST", "/user/mention/mark_as_read"): ("owner", lambda s: {"person_mention_id": s["mention"], "read": True}),
    ("POST", "/user/password_change"): ("public", None),
    ("POST", "/user/password_reset"): ("public", None),
    ("POST", "/user/register"): ("public", None),
    ("PUT", "/user/save_user_settings"): ("member", lambda s: {"show_nsfw": True}),
    ("POST", "/user/totp/generate"): ("member", lambda s: {}),
    ("POST", "/user/totp/update"): ("member", lambda s: {"totp_token": "123456", "enabled": True}),
    ("POST", "/user/verify_email"): ("public", None),
}
# What a plain member (not the owner, not a moderator, not an admin) gets back.
REFUSALS = {
    "admin": {"not_an_admin"},
    "mod": {"not_a_mod_or_admin", "not_a_moderator"},
    "owner": {
        "no_post_edit_allowed",
        "no_comment_edit_allowed",
        "edit_private_message_not_allowed",
        "not_top_mod",
        "couldnt_update_replies",
        "couldnt_update_person_mentions",
        "couldnt_update_private_message",
        "couldnt_create_report",
    },
}


def test_every_write_route_is_in_the_table(server):
    import httpx

    schema = httpx.get(f"{server.base_url}/api/v3/openapi.json").json()
    served = {
        (method.upper(), path.removeprefix("/api/v3"))
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v3")
        for method in operations
        if method != "get"
    }
    assert served == set(ROUTES), f"missing: {served - set(ROUTES)}; stale: {set(ROUTES) - served}"


@pytest.fixture(scope="module")
def scene(server_factory_module):
    server = server_factory_module()
    api = server.api()
    make_admin(server)
    owner = api.register()
    community = owner.community()["community"]["id"]
    post = owner.post(community, name="Owned post")["post"]["id"]
    comment = owner.comment(post, f"owned comment @{owner.name}")["comment"]["id"]
    plain = api.register()
    plain.api.post("/community/follow", {"community_id": community, "follow": True})
    other = api.register()
    other.comment(post, f"a reply that mentions @{owner.name}")
    reply = owner.api.get("/user/replies")["replies"][0]["comment_reply"]["id"]
    mention = owner.api.get("/user/mention")["mentions"][0]["person_mention"]["id"]
    message = owner.api.post("/private_message", {"recipient_id": other.person_id, "content": "hi"})[
        "private_message_view"
    ]["private_message"]["id"]
    post_report = other.api.post("/post/report", {"post_id": post, "reason": "r"})["post_report_view"]
    comment_report = other.api.post("/comment/report", {"comment_id": comment, "reason": "r"})
    return {
        "api": api,
        "owner_api": owner.api,
        "plain": plain,
        "owner": owner.person_id,
        "other": other.person_id,
        "community": community,
        "post": post,
        "comment": comment,
        "reply": reply,
        "mention": mention,
        "message": message,
        "post_report": post_report["post_report"]["id"],
        "comment_report": comment_report["comment_report_view"]["comment_report"]["id"],
    }


def _snapshot(scene) -> tuple:
    api, owner_api = scene["api"], scene["owner_api"]
    post = api.get("/post", id=scene["post"])["post_view"]
    comment = api.get("/comment", id=scene["comment"])["comment_view"]["comment"]
    community = api.get("/community", id=scene["community"])
    messages = owner_api.get("/private_message/list")["private_messages"]
    return (
        post["post"]["name"],
        post["post"]["deleted"],
        post["post"]["removed"],
        post["post"]["locked"],
        post["post"]["featured_community"],
        comment["content"],
        comment["deleted"],
        comment["removed"],
        community["community_view"]["community"]["title"],
        community["community_view"]["community"]["deleted"],
        community["community_view"]["community"]["hidden"],
        [m["moderator"]["id"] for m in community["moderators"]],
        [
            (m["private_message"]["content"], m["private_message"]["deleted"], m["private_message"]["read"])
            for m in messages
        ],
        api.get("/site")["site_view"]["site"]["name"],
    )


GUARDED = sorted((k, v) for k, v in ROUTES.items() if v[0] != "public")


@pytest.mark.parametrize(("route", "spec"), GUARDED, ids=[f"{m} {p}" for (m, p), _ in GUARDED])
def test_anonymous_caller_is_refused(scene, route, spec):
    method, path = route
    status, code = scene["api"].error(method, path, spec[1](scene))
    assert (status, code) == (401, "incorrect_login")


PRIVILEGED = [(k, v) for k, v in GUARDED if v[0] in REFUSALS]


@pytest.mark.parametrize(("route", "spec"), PRIVILEGED, ids=[f"{m} {p}" for (m, p), _ in PRIVILEGED])
def test_plain_member_is_refused_and_nothing_changes(scene, route, spec):
    method, path = route
    role, body = spec
    before = _snapshot(scene)
    status, code = scene["plain"].api.error(method, path, body(scene))
    assert status == 400 and code in REFUSALS[role], (status, code)
    assert _snapshot(scene) == before
