"""Bad input re-renders the form with a clear message and a 4xx, keeping what was typed; refusals from the domain
read as sentences; every form field has a visible label."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from tests.support.client import PASSWORD
from tests.support.web import Visitor, make_admin


def alert(html: str) -> str:
    found = re.search(r'<p class="error[^"]*"[^>]*role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert found, "no error message on the page"
    return found.group(1).strip()


def test_signup_with_mismatched_passwords_shows_the_form_again(server):
    visitor = Visitor(server.base_url)
    fields = {"username": "newcomer", "password": PASSWORD, "password_verify": PASSWORD + "x", "email": "n@ex.org"}
    response = visitor.submit("/signup", fields, page="/signup")
    assert response.status_code == 400
    assert alert(response.text) == "The two passwords do not match."
    assert 'value="newcomer"' in response.text and 'value="n@ex.org"' in response.text
    assert PASSWORD not in response.text  # passwords are never echoed back


def test_signup_refusals_read_as_sentences(server, api):
    taken = api.register()
    visitor = Visitor(server.base_url)
    cases = [
        ({"username": taken.name}, "That user name is taken."),
        ({"username": "x"}, "A name is at least 3 letters"),
        ({"username": "fine_name", "password": "short", "password_verify": "short"}, "The password must be 10 to 60"),
        ({"username": "robot", "honeypot": "I am a bot"}, "This form was filled in by a robot."),
    ]
    for extra, expected in cases:
        fields = {"password": PASSWORD, "password_verify": PASSWORD, **extra}
        response = visitor.submit("/signup", fields, page="/signup")
        assert response.status_code == 400, extra
        assert alert(response.text).startswith(expected), extra


def test_login_with_a_wrong_password_keeps_the_name(server, api):
    member = api.register()
    response = Visitor(server.base_url).submit("/login", {"username_or_email": member.name, "password": "wrong one!"})
    assert response.status_code == 400
    assert alert(response.text) == "Wrong user name, email or password."
    assert f'value="{member.name}"' in response.text


def test_post_and_community_forms_explain_what_is_wrong(server, api):
    member = api.register()
    existing = member.community()["community"]
    visitor = Visitor(server.base_url).log_in(member.name)
    short = visitor.submit(
        "/create_post", {"community": existing["name"], "name": "ab", "body": "kept body"}, page="/create_post"
    )
    assert short.status_code == 400 and alert(short.text).startswith("A title is 3 to 200 characters")
    assert "kept body</textarea>" in short.text
    nowhere = visitor.submit("/create_post", {"community": "no_such_place", "name": "A title"}, page="/create_post")
    assert nowhere.status_code == 400 and alert(nowhere.text) == "No such community."
    bad_link = visitor.submit(
        "/create_post", {"community": existing["name"], "name": "A title", "url": "ftp://x"}, page="/create_post"
    )
    assert bad_link.status_code == 400 and alert(bad_link.text) == "Links must start with http:// or https://."
    twin = visitor.submit("/create_community", {"name": existing["name"], "title": "Twin"}, page="/create_community")
    assert twin.status_code == 400 and alert(twin.text) == "A community with that name already exists."
    assert api.get("/post/list", type_="All")["posts"] == []


def test_refused_actions_show_a_readable_page_or_json_to_the_script(server, api):
    admin = make_admin(server)
    admin.api.put("/site", {"enable_downvotes": False})
    member = api.register()
    post = member.post(member.community()["community"]["id"], "Votes")["post"]
    visitor = Visitor(server.base_url).log_in(member.name)
    page = visitor.submit(f"/post/{post['id']}/vote", {"score": "-1"}, page="/")
    assert page.status_code == 400 and "Downvotes are turned off on this site." in page.text
    assert page.headers["content-type"].startswith("text/html")
    script = visitor.submit(f"/post/{post['id']}/vote", {"score": "-1"}, page="/", headers={"X-Agora-Fetch": "1"})
    assert script.status_code == 400 and script.json() == {"error": "Downvotes are turned off on this site."}
    missing = visitor.get("/post/999999")
    assert missing.status_code == 404 and "No such post." in missing.text
    assert visitor.get("/post/not-a-number").status_code == 404
    assert visitor.get("/post/8744914781430736748544").status_code == 404  # past any id the database can hold
    assert visitor.get("/comment/99999999999").status_code == 404
    assert visitor.get("/?pageCursor=Pffffffff").status_code == 400
    assert visitor.get("/create_post?crosspost=99999999999").status_code == 400
    assert visitor.get("/u/nobody_here").status_code == 404
    assert Visitor(server.base_url).get("/admin").status_code == 303  # to the login page
    assert visitor.get("/admin").status_code == 403


def test_members_only_pages_send_visitors_to_log_in_and_back(server, api):
    member = api.register()
    visitor = Visitor(server.base_url)
    response = visitor.get("/create_post?community_id=1")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/create_post%3Fcommunity_id%3D1"
    back = visitor.submit(
        "/login", {"username_or_email": member.name, "password": PASSWORD, "next": "/create_post?community_id=1"}
    )
    assert back.headers["location"] == "/create_post?community_id=1"
    elsewhere = Visitor(server.base_url).submit(
        "/login", {"username_or_email": member.name, "password": PASSWORD, "next": "//evil.example/"}
    )
    assert elsewhere.headers["location"] == "/"


class _Controls(HTMLParser):
    """Form controls and the labels that name them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labelled: set[str] = set()
        self.in_label = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if values.get("for"):
                self.labelled.add(values["for"])
        if tag in ("input", "select", "textarea") and values.get("type") not in ("hidden", "submit"):
            self.controls.append({**values, "wrapped": self.in_label > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label -= 1


@pytest.mark.parametrize(
    "path", ["/login", "/signup", "/create_post", "/create_community", "/settings", "/admin", "/search", "/post/1"]
)
def test_every_form_field_has_a_visible_label(server, api, path):
    admin = make_admin(server)
    admin.api.put("/site", {"registration_mode": "RequireApplication", "application_question": "Why?"})
    community = admin.community()["community"]
    post = admin.post(community["id"], "Labels")["post"]
    admin.comment(post["id"], "a comment")
    visitor = (
        Visitor(server.base_url).log_in(admin.name) if path not in ("/login", "/signup") else Visitor(server.base_url)
    )
    html = visitor.get(path).text
    parser = _Controls()
    parser.feed(html)
    assert parser.controls, path
    for control in parser.controls:
        if control.get("aria-hidden") or control.get("name") == "honeypot":
            continue
        assert control["wrapped"] or control.get("id") in parser.labelled, (path, control)
    for landmark in ("<header", "<main", "<nav", "<footer"):
        assert landmark in html, (path, landmark)


def test_web_forms_share_the_api_rate_limits(server_factory):
    server = server_factory(rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_register": 2, "rate_limit_register_per_second": 3600})
    server.state.site_cache.invalidate()
    visitor = Visitor(server.base_url)
    server.api().register()  # the API's sign-ups spend the same bucket as the page's
    fields = {"username": "newcomer", "password": PASSWORD, "password_verify": PASSWORD}
    assert visitor.submit("/signup", fields, page="/signup").status_code == 303
    refused = Visitor(server.base_url).submit("/signup", {**fields, "username": "another"}, page="/signup")
    assert refused.status_code == 429 and refused.headers["content-type"].startswith("text/html")
    assert "try again in 60 minutes" in refused.text and refused.headers["retry-after"]


def test_login_typos_wait_with_the_wait_said(server_factory):
    server = server_factory(rate_limits_enabled=True)
    make_admin(server)
    member = server.api().register()
    visitor = Visitor(server.base_url)
    wrong = {"username_or_email": member.name, "password": "not the password"}
    assert [visitor.submit("/login", wrong).status_code for _ in range(5)] == [400] * 5
    held = visitor.submit("/login", {**wrong, "password": PASSWORD})
    assert held.status_code == 429 and 250 <= int(held.headers["retry-after"]) <= 300
    assert "try again in" in held.text and f'value="{member.name}"' in held.text  # the name typed stays


def test_a_site_banned_member_is_told_until_when_and_why(server_factory):
    server = server_factory()
    admin = make_admin(server)
    member = server.api().register()
    until = int(time.time()) + 3 * 86400
    body = {"person_id": member.person_id, "ban": True, "reason": "spam links", "expires": until}
    admin.api.post("/user/ban", body)
    refused = Visitor(server.base_url).submit("/login", {"username_or_email": member.name, "password": PASSWORD})
    assert refused.status_code == 400
    shown = datetime.fromtimestamp(until, UTC).strftime("%Y-%m-%d %H:%M")
    assert f"banned until {shown} UTC; the reason: spam links" in refused.text
    answer = server.api().request("POST", "/user/login", {"username_or_email": member.name, "password": PASSWORD})
    assert answer.json()["error"] == "site_ban" and "spam links" in answer.json()["message"]
