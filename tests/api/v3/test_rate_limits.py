"""The site's per-IP rate limits are enforced per action kind, answering Lemmy's rate_limit_error."""

from tests.support.admin import make_admin


def test_post_limit_refuses_the_extra_post_and_other_kinds_still_work(server_factory):
    server = server_factory(rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_post": 2, "rate_limit_post_per_second": 3600})
    community = admin.community()["community"]["id"]
    admin.post(community, name="First post")
    admin.post(community, name="Second post")
    response = admin.api.request("POST", "/post", {"name": "Third post", "community_id": community})
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limit_error"
    titles = [p["post"]["name"] for p in admin.api.get("/post/list", community_id=community)["posts"]]
    assert "Third post" not in titles and len(titles) == 2
    admin.api.get("/site")  # reading is another bucket


def test_registration_limit(server_factory):
    server = server_factory(rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_register": 1, "rate_limit_register_per_second": 3600})
    api = server.api()
    api.register()
    body = {"username": "onemore", "password": "correct horse battery", "password_verify": "correct horse battery"}
    response = api.request("POST", "/user/register", body)
    assert (response.status_code, response.json()["error"]) == (429, "rate_limit_error")
