import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from agora.domain import passwords
from tests.support.admin import make_admin
from tests.support.client import PASSWORD, Api, unique_name


def test_register_returns_a_working_token(api):
    member = api.register()
    site = member.api.get("/site")
    assert site["my_user"]["local_user_view"]["person"]["name"] == member.name
    assert site["my_user"]["local_user_view"]["local_user"]["accepted_application"] is True


def test_login_by_name_and_by_email_case_insensitively(api):
    name = unique_name()
    api.register(name, email=f"{name}@example.org")
    assert api.post("/user/login", {"username_or_email": name.upper(), "password": PASSWORD})["jwt"]
    assert api.post("/user/login", {"username_or_email": f"{name.upper()}@EXAMPLE.ORG", "password": PASSWORD})["jwt"]


@pytest.mark.parametrize("step", ["login", "unknown name", "registration"])
def test_writes_go_on_while_a_password_is_hashed(server, api, monkeypatch, step):
    """A password hash takes ~0.1 s with production settings: a login (also one for a name nobody has, which spends
    the same time) or a registration holds no database connection meanwhile (on SQLite a write transaction would hold
    up the instance's only writer)."""
    member = api.register()
    community = member.community()["community"]["id"]
    post = member.post(community)["post"]["id"]
    hashing, release = threading.Event(), threading.Event()
    connections_out = []
    name = {"login": "verify_password", "unknown name": "spend_verify_time", "registration": "hash_password"}[step]
    real = getattr(passwords, name)

    def checked_out() -> int:
        db = server.state.db
        return db.writer.pool.checkedout() + (db.reader is not db.writer) * db.reader.pool.checkedout()

    async def parked(*args):
        connections_out.append(checked_out())
        hashing.set()
        await asyncio.to_thread(release.wait, 30)
        return await real(*args)

    monkeypatch.setattr(passwords, name, parked)
    if step != "registration":
        login = member.name if step == "login" else "nobody_" + unique_name()
        path, body = "/user/login", {"username_or_email": login, "password": PASSWORD}
    else:
        path, body = "/user/register", {"username": unique_name(), "password": PASSWORD, "password_verify": PASSWORD}
    send = api.post if step != "unknown name" else lambda path, body: api.error("POST", path, body)
    deadline = time.monotonic() + 10
    while checked_out() and time.monotonic() < deadline:  # background work of earlier tests lets go first
        time.sleep(0.05)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(send, path, body)
        assert hashing.wait(10)
        assert member.vote_post(post, 1)["counts"]["score"] == 1  # on SQLite it waited for the writer before
        release.set()
        if step == "unknown name":
            assert answer.result(timeout=30) == (401, "incorrect_login")
        else:
            assert answer.result(timeout=30)["jwt"]
    assert connections_out == [0]


def test_wrong_password_and_unknown_name_are_incorrect_login(api):
    member = api.register()
    assert api.error("POST", "/user/login", {"username_or_email": member.name, "password": "wrong password!"}) == (
        401,
        "incorrect_login",
    )
    assert api.error("POST", "/user/login", {"username_or_email": "nobody_here", "password": PASSWORD}) == (
        401,
        "incorrect_login",
    )


def test_registration_validates_like_lemmy(api):
    def refused(**body):
        base = {"username": unique_name(), "password": PASSWORD, "password_verify": PASSWORD}
        return api.error("POST", "/user/register", {**base, **body})[1]

    assert refused(username="ab") == "invalid_name"
    assert refused(username="has space") == "invalid_name"
    assert refused(username="x" * 21) == "invalid_name"
    assert refused(username="тестabc") == "invalid_name"  # one alphabet per name, as Lemmy: no look-alikes
    assert refused(username="ΑΒΓΔ") == "invalid_name"  # Greek is not among Lemmy's alphabets
    for name in ("тест_юзер", "مستخدم_1"):  # Cyrillic and Arabic names, as Lemmy 0.19 takes them
        member = api.register(name)
        assert member.api.get("/site")["my_user"]["local_user_view"]["person"]["name"] == name
    assert refused(password="short", password_verify="short") == "invalid_password"
    assert refused(password_verify="something else entirely") == "passwords_do_not_match"
    assert refused(honeypot="bot") == "honeypot_failed"
    taken = api.register()
    assert refused(username=taken.name.upper()) == "user_already_exists"
    api.register(email="dup@example.org")
    assert refused(email="DUP@example.org") == "email_already_exists"


def test_refused_registration_leaves_no_account(api):
    name = unique_name()
    api.error("POST", "/user/register", {"username": name, "password": PASSWORD, "password_verify": "nope nope nope"})
    assert api.error("GET", "/user", username=name)[1] == "couldnt_find_person"


def test_token_in_cookie_is_accepted(server):
    member = server.api().register()
    import httpx

    response = httpx.get(f"{server.base_url}/api/v3/site", cookies={"jwt": member.token})
    assert response.json()["my_user"]["local_user_view"]["person"]["name"] == member.name


def test_invalid_token_reads_as_anonymous_but_cannot_write(api):
    forged = api.as_("not.a.jwt")
    assert "my_user" not in forged.get("/site")
    assert forged.error("POST", "/community", {"name": "abc", "title": "Abc"}) == (401, "incorrect_login")
    assert forged.error("GET", "/user/validate_auth")[1] == "not_logged_in"


def test_logout_revokes_only_that_token(api):
    member = api.register()
    second = api.login(member.name)
    member.api.post("/user/logout")
    assert member.api.error("GET", "/user/validate_auth")[1] == "not_logged_in"
    assert second.api.get("/user/validate_auth") == {"success": True}


def test_change_password_revokes_other_sessions_and_returns_new_token(api):
    member = api.register()
    other = api.login(member.name)
    new = member.api.put(
        "/user/change_password",
        {
            "old_password": PASSWORD,
            "new_password": "a brand new password",
            "new_password_verify": "a brand new password",
        },
    )["jwt"]
    assert other.api.error("GET", "/user/validate_auth")[1] == "not_logged_in"
    assert api.as_(new).get("/user/validate_auth") == {"success": True}
    assert api.error("POST", "/user/login", {"username_or_email": member.name, "password": PASSWORD})[1] == (
        "incorrect_login"
    )
    assert api.post("/user/login", {"username_or_email": member.name, "password": "a brand new password"})["jwt"]


def test_change_password_needs_the_old_one(api):
    member = api.register()
    body = {"old_password": "not my password", "new_password": "whatever1234", "new_password_verify": "whatever1234"}
    assert member.api.error("PUT", "/user/change_password", body)[1] == "incorrect_login"


def test_save_user_settings_changes_profile_and_preferences(api):
    member = api.register()
    member.api.put(
        "/user/save_user_settings",
        {
            "display_name": "Alice A.",
            "bio": "hello **world**",
            "show_nsfw": True,
            "default_sort_type": "New",
            "default_listing_type": "All",
            "avatar": "https://img.example/a.png",
            "unknown_field": "ignored",
        },
    )
    view = member.api.get("/site")["my_user"]["local_user_view"]
    assert view["person"]["display_name"] == "Alice A."
    assert view["person"]["bio"] == "hello **world**"
    assert view["person"]["avatar"] == "https://img.example/a.png"
    assert view["local_user"]["show_nsfw"] is True
    assert view["local_user"]["default_sort_type"] == "New"
    member.api.put("/user/save_user_settings", {"display_name": "", "bio": ""})
    person = member.api.get("/site")["my_user"]["local_user_view"]["person"]
    assert "display_name" not in person and "bio" not in person


def test_save_user_settings_rejects_bad_values(api):
    member = api.register()
    assert member.api.error("PUT", "/user/save_user_settings", {"avatar": "javascript:alert(1)"})[1] == (
        "invalid_url_scheme"
    )
    assert member.api.error("PUT", "/user/save_user_settings", {"bio": "x" * 1001})[1] == "bio_length_overflow"
    assert member.api.error("PUT", "/user/save_user_settings", {"default_sort_type": "Random"})[1] == "unknown"


def test_delete_account_needs_password_and_ends_the_account(api):
    member = api.register()
    assert member.api.error("POST", "/user/delete_account", {"password": "wrong!", "delete_content": False})[1] == (
        "incorrect_login"
    )
    member.api.post("/user/delete_account", {"password": PASSWORD, "delete_content": False})
    assert member.api.error("GET", "/user/validate_auth")[1] == "not_logged_in"
    assert api.error("POST", "/user/login", {"username_or_email": member.name, "password": PASSWORD})[1] == (
        "incorrect_login"
    )
    person = api.get("/user", username=member.name)["person_view"]["person"]
    assert person["deleted"] is True


def test_delete_account_with_content_deletes_posts(api):
    member = api.register()
    community = member.community()
    post = member.post(community["community"]["id"])
    member.api.post("/user/delete_account", {"password": PASSWORD, "delete_content": True})
    assert api.error("GET", "/post", id=post["post"]["id"])[1] == "couldnt_find_post"


def test_closed_registration_is_refused(server):
    admin = make_admin(server)
    admin.api.put("/site", {"registration_mode": "Closed"})
    body = {"username": unique_name(), "password": PASSWORD, "password_verify": PASSWORD}
    assert server.api().error("POST", "/user/register", body)[1] == "registration_closed"


def test_application_required_means_no_token_until_approved(server):
    admin = make_admin(server)
    admin.api.put("/site", {"registration_mode": "RequireApplication", "application_question": "Why join?"})
    api = server.api()
    name = unique_name()
    body = {"username": name, "password": PASSWORD, "password_verify": PASSWORD}
    assert api.error("POST", "/user/register", body)[1] == "registration_application_answer_required"
    response = api.post("/user/register", {**body, "answer": "I like forums"})
    assert response == {"registration_created": True, "verify_email_sent": False}
    assert api.error("POST", "/user/login", {"username_or_email": name, "password": PASSWORD})[1] == (
        "registration_application_is_pending"
    )


def test_list_logins_shows_sessions(api):
    member = api.register()
    api.login(member.name)
    logins = member.api.get("/user/list_logins")
    assert isinstance(logins, list) and len(logins) == 2
    assert all("published" in entry and "user_id" in entry for entry in logins)


def test_admin_create_makes_a_usable_admin(server):
    admin = make_admin(server)
    site = admin.api.get("/site")
    assert site["my_user"]["local_user_view"]["local_user"]["admin"] is True
    assert admin.name in [a["person"]["name"] for a in site["admins"]]


def test_totp_enable_then_login_requires_code(api):
    import pyotp

    member = api.register()
    url = member.api.post("/user/totp/generate")["totp_secret_url"]
    secret = pyotp.parse_uri(url).secret
    assert member.api.error("POST", "/user/totp/update", {"totp_token": "000000", "enabled": True})[1] == (
        "incorrect_totp_token"
    )
    assert member.api.post("/user/totp/update", {"totp_token": pyotp.TOTP(secret).now(), "enabled": True}) == {
        "enabled": True
    }
    login = {"username_or_email": member.name, "password": PASSWORD}
    assert api.error("POST", "/user/login", login)[1] == "missing_totp_token"
    assert api.post("/user/login", {**login, "totp_2fa_token": pyotp.TOTP(secret).now()})["jwt"]


def test_person_details_by_name_and_id(api):
    member = api.register()
    by_name = api.get("/user", username=member.name)
    by_id = api.get("/user", person_id=by_name["person_view"]["person"]["id"])
    assert by_name["person_view"] == by_id["person_view"]
    assert api.error("GET", "/user")[1] == "no_id_given"
    assert api.error("GET", "/user", username="no_such_person")[1] == "couldnt_find_person"


def test_unauthenticated_site_has_no_my_user(api: Api):
    site = api.get("/site")
    assert "my_user" not in site
    assert site["version"].startswith("0.19.")
    assert len(site["all_languages"]) > 100 and site["all_languages"][0]["code"] == "und"


def test_site_sums_up_a_members_follows_moderated_communities_blocks_and_languages(api):
    alice, owner, pest = api.register(), api.register(), api.register()
    theirs = [owner.community(name=f"{prefix}_{unique_name('c')}")["community"] for prefix in ("zz", "aa", "mm")]
    mine = alice.community()["community"]
    for community in theirs[:2]:
        alice.api.post("/community/follow", {"community_id": community["id"], "follow": True})
    alice.api.post("/community/block", {"community_id": theirs[2]["id"], "block": True})
    alice.api.post("/user/block", {"person_id": pest.person_id, "block": True})
    alice.api.put("/user/save_user_settings", {"discussion_languages": [37, 1]})
    me = alice.api.get("/site")["my_user"]
    assert me["local_user_view"]["person"]["id"] == alice.person_id
    assert me["local_user_view"]["local_user"]["person_id"] == alice.person_id
    # a community's creator follows it too; the list is by name
    assert [f["community"]["name"] for f in me["follows"]] == sorted(
        [theirs[0]["name"], theirs[1]["name"], mine["name"]]
    )
    assert all(f["follower"]["id"] == alice.person_id for f in me["follows"])
    assert [m["community"]["id"] for m in me["moderates"]] == [mine["id"]]
    assert [b["community"]["id"] for b in me["community_blocks"]] == [theirs[2]["id"]]
    assert [b["target"]["id"] for b in me["person_blocks"]] == [pest.person_id]
    assert me["instance_blocks"] == []
    assert me["discussion_languages"] == [1, 37]
    assert "my_user" not in api.get("/site")
