"""API v4's OAuth login: admins configure providers, GET /site lists them without their secret, and a person signs
up and in through a small OIDC provider this test runs on loopback (authorization, token and userinfo endpoints,
single-use codes bound to the client, redirect and PKCE challenge)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin
from tests.support.client import PASSWORD, unique_name

CLIENT_ID, CLIENT_SECRET = "agora-test", "s3cret-never-shown"
REDIRECT = "https://app.example/oauth/callback"


class Provider(ThreadingHTTPServer):
    """An OIDC provider on loopback: `/authorize?login_hint=SUBJECT` signs that person in at once and redirects
    back with a code; `/token` trades a code once (client, redirect and PKCE checked); `/userinfo` answers claims."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.emails: dict[str, str] = {}  # subject → email
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, str] = {}  # access token → subject

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def authorize(self, subject: str, *, verifier: str | None = None, redirect_uri: str = REDIRECT) -> str:
        """What the app does in the browser: send the person to the provider, read the code off the redirect."""
        params = {"client_id": CLIENT_ID, "redirect_uri": redirect_uri, "login_hint": subject, "state": "xyz"}
        if verifier is not None:
            params |= {"code_challenge": challenge(verifier), "code_challenge_method": "S256"}
        answer = httpx.get(f"{self.url}/authorize", params=params)
        assert answer.status_code == 302
        back = urlsplit(answer.headers["location"])
        assert back.path == "/oauth/callback" and parse_qs(back.query)["state"] == ["xyz"]
        return parse_qs(back.query)["code"][0]


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class _Handler(BaseHTTPRequestHandler):
    server: Provider

    def log_message(self, *args: object) -> None:
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/authorize" and query.get("client_id") == CLIENT_ID:
            code = secrets.token_urlsafe(16)
            self.server.codes[code] = {**query, "subject": query["login_hint"]}
            self.send_response(302)
            self.send_header(
                "Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            )
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/userinfo":
            subject = self.server.tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
            if subject is None:
                self._json(401, {"error": "invalid_token"})
            else:
                self._json(200, {"sub": subject, "email": self.server.emails[subject], "email_verified": True})
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
        grant = self.server.codes.pop(form.get("code", ""), None)
        ok = (
            self.path == "/token"
            and grant is not None
            and form.get("grant_type") == "authorization_code"
            and (form.get("client_id"), form.get("client_secret")) == (CLIENT_ID, CLIENT_SECRET)
            and form.get("redirect_uri") == grant["redirect_uri"]
            and ("code_challenge" not in grant or challenge(form.get("code_verifier", "")) == grant["code_challenge"])
        )
        if not ok:
            self._json(400, {"error": "invalid_grant"})
            return
        token = secrets.token_urlsafe(16)
        self.server.tokens[token] = grant["subject"]
        self._json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})


@pytest.fixture
def provider() -> Iterator[Provider]:
    served = Provider()
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


@pytest.fixture
def server(server_factory):
    return server_factory(federation_debug=True)  # the provider is on loopback, which the outbound rules refuse


def provider_form(provider: Provider, **extra) -> dict:
    return {
        "display_name": "Test ID",
        "issuer": provider.url,
        "authorization_endpoint": f"{provider.url}/authorize",
        "token_endpoint": f"{provider.url}/token",
        "userinfo_endpoint": f"{provider.url}/userinfo",
        "id_claim": "sub",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": "openid email",
        **extra,
    }


def login_form(provider_id: int, code: str, **extra) -> dict:
    return {"code": code, "oauth_provider_id": provider_id, "redirect_uri": REDIRECT, **extra}


@pytest.fixture
def admin(server, v4) -> V4Member:
    return V4Member(v4, make_admin(server).name)


def test_admins_configure_providers_and_get_site_lists_them_without_the_secret(v4, admin, join, provider):
    made = admin.api.post("/oauth_provider", provider_form(provider, use_pkce=True))
    assert "client_secret" not in made
    assert (made["client_id"], made["use_pkce"], made["enabled"], made["id_claim"]) == (CLIENT_ID, True, True, "sub")
    assert made["published_at"] and made["token_endpoint"] == f"{provider.url}/token"
    public = v4.get("/site")
    assert public["oauth_providers"] == [
        {
            "id": made["id"],
            "display_name": "Test ID",
            "authorization_endpoint": f"{provider.url}/authorize",
            "client_id": CLIENT_ID,
            "scopes": "openid email",
            "use_pkce": True,
        }
    ]
    assert public["admin_oauth_providers"] == []
    seen_by_admin = admin.api.get("/site")["admin_oauth_providers"]
    assert [p["issuer"] for p in seen_by_admin] == [provider.url] and "client_secret" not in seen_by_admin[0]
    assert CLIENT_SECRET not in json.dumps(public) + json.dumps(seen_by_admin)

    edited = admin.api.put("/oauth_provider", {"id": made["id"], "display_name": "Renamed", "enabled": False})
    assert (edited["display_name"], edited["enabled"], edited["issuer"]) == ("Renamed", False, provider.url)
    assert edited["updated_at"] and "client_secret" not in edited
    assert v4.get("/site")["oauth_providers"] == []  # a disabled provider is not offered
    assert [p["enabled"] for p in admin.api.get("/site")["admin_oauth_providers"]] == [False]

    member = join()
    assert member.api.error("POST", "/oauth_provider", provider_form(provider, client_id="x")) == (400, "not_an_admin")
    assert member.api.error("PUT", "/oauth_provider", {"id": made["id"], "enabled": True})[1] == "not_an_admin"
    assert member.api.error("DELETE", "/oauth_provider", {"id": made["id"]})[1] == "not_an_admin"
    assert admin.api.error("POST", "/oauth_provider", provider_form(provider))[0] == 400  # the same client_id
    bad_url = provider_form(provider, client_id="other", token_endpoint="ftp://x/token")
    assert admin.api.error("POST", "/oauth_provider", bad_url) == (400, "invalid_url")
    assert admin.api.error("POST", "/oauth_provider", provider_form(provider, client_id="  "))[0] == 400
    assert admin.api.request("DELETE", "/oauth_provider", {"id": made["id"]}).json() == {"success": True}
    assert admin.api.get("/site")["admin_oauth_providers"] == []
    assert admin.api.error("DELETE", "/oauth_provider", {"id": made["id"]}) == (404, "not_found")


def test_a_new_person_signs_up_through_the_provider_and_comes_back_to_the_same_account(v4, admin, provider):
    made = admin.api.post("/oauth_provider", provider_form(provider, use_pkce=True))
    admin.api.put("/site", {"oauth_registration": True})
    assert v4.get("/site")["site_view"]["local_site"]["oauth_registration"] is True
    provider.emails["alice-sub"] = "alice@example.com"
    verifier = secrets.token_urlsafe(48)
    name = unique_name("oidc")
    first = v4.post(
        "/oauth/authenticate",
        login_form(
            made["id"], provider.authorize("alice-sub", verifier=verifier), username=name, pkce_code_verifier=verifier
        ),
    )
    assert first["jwt"] and first["registration_created"] is False and first["verify_email_sent"] is False
    me = v4.as_(first["jwt"]).get("/account")["local_user_view"]
    assert me["person"]["name"] == name and me["local_user"]["email"] == "alice@example.com"
    assert me["local_user"]["email_verified"] is True  # auto_verify_email is Lemmy's default

    verifier = secrets.token_urlsafe(48)
    again = v4.post(
        "/oauth/authenticate",
        login_form(made["id"], provider.authorize("alice-sub", verifier=verifier), pkce_code_verifier=verifier),
    )
    assert again["jwt"] and again["jwt"] != first["jwt"]
    assert v4.as_(again["jwt"]).get("/account")["local_user_view"]["person"]["id"] == me["person"]["id"]
    # The account has no password: only the provider signs it in.
    assert v4.error("POST", "/account/auth/login", {"username_or_email": name, "password": ""})[1] == "incorrect_login"

    # A second person at the provider whose email a local account already has: not linked on a site that does not
    # verify emails (Lemmy's rule), so not taken over.
    v4.post(
        "/account/auth/register",
        {"username": unique_name(), "password": PASSWORD, "password_verify": PASSWORD, "email": "bob@example.com"},
    )
    provider.emails["bob-sub"] = "bob@example.com"
    verifier = secrets.token_urlsafe(48)
    code = provider.authorize("bob-sub", verifier=verifier)
    taken = login_form(made["id"], code, username=unique_name(), pkce_code_verifier=verifier)
    assert v4.error("POST", "/oauth/authenticate", taken) == (400, "email_already_taken")


def test_bad_codes_closed_sign_ups_and_disabled_providers_are_refused(v4, admin, provider):
    made = admin.api.post("/oauth_provider", provider_form(provider))
    provider.emails["carol-sub"] = "carol@example.com"
    name = unique_name("oidc")

    def refused(form: dict) -> tuple[int, str]:
        return v4.error("POST", "/oauth/authenticate", form)

    # Sign-ups through a provider are off until the admin turns them on.
    assert refused(login_form(made["id"], provider.authorize("carol-sub"), username=name)) == (
        400,
        "oauth_registration_closed",
    )
    admin.api.put("/site", {"oauth_registration": True, "registration_mode": "require_invitation"})
    assert refused(login_form(made["id"], provider.authorize("carol-sub"), username=name)) == (
        400,
        "missing_invite_token",
    )  # a provider's login carries no invitation
    admin.api.put("/site", {"registration_mode": "open"})
    assert refused(login_form(made["id"], "not-a-code", username=name)) == (400, "oauth_login_failed")
    assert refused(login_form(made["id"], provider.authorize("carol-sub"))) == (400, "registration_username_required")
    spent = provider.authorize("carol-sub")
    assert v4.post("/oauth/authenticate", login_form(made["id"], spent, username=name))["jwt"]
    assert refused(login_form(made["id"], spent)) == (400, "oauth_login_failed")  # a code works once

    # A PKCE verifier that does not match the challenge, or is not one at all.
    verifier = secrets.token_urlsafe(48)
    code = provider.authorize("carol-sub", verifier=verifier)
    assert refused(login_form(made["id"], code, pkce_code_verifier=secrets.token_urlsafe(48))) == (
        400,
        "oauth_login_failed",
    )
    assert refused(login_form(made["id"], code, pkce_code_verifier="short")) == (400, "invalid_code_verifier")

    # Requests Lemmy refuses before asking the provider anything.
    code = provider.authorize("carol-sub")
    assert refused(login_form(made["id"], code, redirect_uri="https://app.example/elsewhere"))[1] == (
        "oauth_authorization_invalid"
    )
    assert refused(login_form(made["id"], code, redirect_uri="https://app.example/oauth/callback?x=1"))[1] == (
        "oauth_authorization_invalid"
    )
    assert refused(login_form(made["id"] + 1000, code)) == (400, "oauth_authorization_invalid")
    assert refused(login_form(made["id"], "")) == (400, "oauth_authorization_invalid")
    assert refused({"code": code})[0] == 400

    # A disabled provider signs no one in, not even its known members.
    admin.api.put("/oauth_provider", {"id": made["id"], "enabled": False})
    assert refused(login_form(made["id"], provider.authorize("carol-sub"))) == (400, "oauth_authorization_invalid")
    admin.api.put("/oauth_provider", {"id": made["id"], "enabled": True})
    assert v4.post("/oauth/authenticate", login_form(made["id"], provider.authorize("carol-sub")))["jwt"]


def test_sign_ups_wait_for_an_application_where_the_site_asks_one(v4, admin, provider):
    made = admin.api.post("/oauth_provider", provider_form(provider))
    admin.api.put(
        "/site",
        {"oauth_registration": True, "registration_mode": "require_application", "application_question": "Why?"},
    )
    provider.emails["dan-sub"] = "dan@example.com"
    name = unique_name("oidc")
    code = provider.authorize("dan-sub")
    assert v4.error("POST", "/oauth/authenticate", login_form(made["id"], code, username=name)) == (
        400,
        "registration_application_answer_required",
    )
    answer = v4.post(
        "/oauth/authenticate", login_form(made["id"], provider.authorize("dan-sub"), username=name, answer="Hi!")
    )
    assert answer == {"registration_created": True, "verify_email_sent": False}
    code = provider.authorize("dan-sub")
    assert v4.error("POST", "/oauth/authenticate", login_form(made["id"], code)) == (
        400,
        "registration_application_is_pending",
    )
