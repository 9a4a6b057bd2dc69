"""Admin tools: adding and leaving admins, looking up an application, and who voted how."""

from tests.support.admin import make_admin
from tests.support.client import PASSWORD


def test_add_admin_and_leave_admin(server, api):
    admin = make_admin(server)
    member = api.register()
    admins = admin.api.post("/admin/add", {"person_id": member.person_id, "added": True})["admins"]
    assert member.person_id in [a["person"]["id"] for a in admins]
    site = member.api.post("/user/leave_admin", {})
    assert member.person_id not in [a["person"]["id"] for a in site["admins"]]
    assert site["my_user"]["local_user_view"]["local_user"]["admin"] is False
    assert admin.api.error("POST", "/user/leave_admin", {})[1] == "cannot_leave_admin"


def test_get_application_by_person(server, api):
    admin = make_admin(server)
    admin.api.put("/site", {"registration_mode": "RequireApplication", "application_question": "Why?"})
    body = {"username": "applicant9", "password": PASSWORD, "password_verify": PASSWORD, "answer": "because"}
    api.post("/user/register", body)
    person_id = admin.api.get("/admin/registration_application/list")["registration_applications"][0]["creator"]["id"]
    found = admin.api.get("/admin/registration_application", person_id=person_id)["registration_application"]
    assert found["registration_application"]["answer"] == "because"
    assert admin.api.error("GET", "/admin/registration_application", person_id=admin.person_id)[1] == (
        "couldnt_find_registration_application"
    )


def test_moderators_see_who_voted(api):
    mod = api.register()
    community = mod.community()["community"]["id"]
    author = api.register()
    post = author.post(community)["post"]["id"]
    comment = author.comment(post)["comment"]["id"]
    voter = api.register()
    voter.vote_post(post, -1)
    voter.vote_comment(comment, 1)
    likes = mod.api.get("/post/like/list", post_id=post)["post_likes"]
    assert [(v["creator"]["id"], v["score"]) for v in likes] == [(voter.person_id, -1), (author.person_id, 1)]
    comment_likes = mod.api.get("/comment/like/list", comment_id=comment)["comment_likes"]
    assert {v["creator"]["id"] for v in comment_likes} == {voter.person_id, author.person_id}
    assert voter.api.error("GET", "/post/like/list", post_id=post)[1] == "not_a_mod_or_admin"
    assert voter.api.error("GET", "/comment/like/list", comment_id=comment)[1] == "not_a_mod_or_admin"
