"""The site's per-IP rate limits are enforced per action kind, answering Lemmy's rate_limit_error with how long to
wait; logging in has limits of its own, by account and by address; admins and moderators seed freely."""

from tests.support.admin import make_admin
from tests.support.client import PASSWORD


def test_post_limit_refuses_the_extra_post_and_other_kinds_still_work(server_factory):
    server = server_factory(rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_post": 2, "rate_limit_post_per_second": 3600})
    community = admin.community()["community"]["id"]
    member = server.api().register()
    member.post(community, name="First post")
    member.post(community, name="Second post")
    response = member.api.request("POST", "/post", {"name": "Third post", "community_id": community})
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limit_error"
    assert 3500 <= int(response.headers["retry-after"]) <= 3600
    assert "try again in 60 minutes" in response.json()["message"]
    titles = [p["post"]["name"] for p in member.api.get("/post/list", community_id=community)["posts"]]
    assert "Third post" not in titles and len(titles) == 2
    member.api.get("/site")  # reading is another bucket


def test_admins_and_moderators_seed_their_community_past_the_post_limit(server_factory):
    server = server_factory(rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_post": 2, "rate_limit_post_per_second": 3600})
    community = admin.community()["community"]["id"]
    for n in range(8):
        admin.post(community, name=f"Seed post {n}")
    moderator = server.api().register()
    own = moderator.community()["community"]["id"]
    for n in range(4):
        moderator.post(own, name=f"Welcome post {n}")
    assert len(admin.api.get("/post/list", community_id=community)["posts"]) == 8


def test_registration_limit(server_factory):
    server = server_factory(rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_register": 1, "rate_limit_register_per_second": 3600})
    api = server.api()
    api.register()
    body = {"username": "onemore", "password": "correct horse battery", "password_verify": "correct horse battery"}
    response = api.request("POST", "/user/register", body)
    assert (response.status_code, response.json()["error"]) == (429, "rate_limit_error")


def test_typos_slow_down_one_account_but_not_its_neighbours(server_factory):
    server = server_factory(rate_limits_enabled=True)
    make_admin(server)
    api = server.api()
    clumsy, neighbour = api.register(), api.register()
    api.register()  # sign-ups do not spend logins, nor logins sign-ups
    for _ in range(5):
        wrong = api.request("POST", "/user/login", {"username_or_email": clumsy.name, "password": "not it at all"})
        assert (wrong.status_code, wrong.json()["error"]) == (401, "incorrect_login")
    held = api.request("POST", "/user/login", {"username_or_email": clumsy.name, "password": PASSWORD})
    assert (held.status_code, held.json()["error"]) == (429, "rate_limit_error")
    assert 250 <= int(held.headers["retry-after"]) <= 300
    assert "try again in" in held.json()["message"]
    assert api.login(neighbour.name).token  # the same address, another account: let in
    for _ in range(3):
        api.login(neighbour.name)  # successful logins spend nothing
