"""The private-instance gate: one ASGI layer in front of every route, which applies queries.visibility's site rule
before any route or the anonymous read cache runs.

On a private instance, a reader who is not a member (no login, or one that does not resolve to a member who may
act) reaches only what an app or a browser needs to log in, sign up or recover an account (`OPEN_PATHS`,
`OPEN_PREFIXES`); the rest is refused before routing, so a route added later is private unless it is named here:

    the API, RSS, images      401 {"error": "instance_is_private"}; the token feeds (/feeds/front/T.xml,
                              /feeds/inbox/T.xml) and image deletion by token pass, their token being the login
    ActivityPub, WebFinger    403, the same body: no other server reads from or delivers to a private instance
    web pages                 303 to /login?next=…

NodeInfo stays open: apps read it to learn what server they are about to log in to. On a public instance the gate
costs one look at the cached site settings a request.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from agora.db.engine import is_unavailable
from agora.deps import AppState, optional_viewer, request_token
from agora.errors import Code
from agora.queries import visibility
from agora.responses import json_response

OPEN_PAGES = frozenset({"/login", "/signup", "/logout"})
OPEN_PATHS = OPEN_PAGES | frozenset(
    {
        "/api/v3/site",
        "/api/v3/user/login",
        "/api/v3/user/register",
        "/api/v3/user/get_captcha",
        "/api/v3/user/password_reset",
        "/api/v3/user/password_change",
        "/api/v3/user/verify_email",
        "/api/v3/user/validate_auth",
        "/api/v3/user/logout",
        "/api/v3/openapi.json",
        "/api/v3/docs",
        # the same doors in Lemmy 1.0's API v4
        "/api/v4/site",
        "/api/v4/account/auth/login",
        "/api/v4/account/auth/register",
        "/api/v4/account/auth/get_captcha",
        "/api/v4/account/auth/password_reset",
        "/api/v4/account/auth/password_change",
        "/api/v4/account/auth/verify_email",
        "/api/v4/account/auth/resend_verification_email",
        "/api/v4/account/validate_auth",
        "/api/v4/account/auth/logout",
        "/.well-known/nodeinfo",
        "/nodeinfo/2.0",
        "/nodeinfo/2.0.json",
        "/nodeinfo/2.1",
        "/version",
    }
)
OPEN_PREFIXES = ("/static/", "/feeds/front/", "/feeds/inbox/", "/pictrs/image/delete/")
MACHINE_PREFIXES = ("/api/", "/feeds/", "/pictrs/")
MESSAGE = "this instance is private: log in to read it"


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


class PrivateInstanceGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS" or is_open(scope["path"]) or await _admits(scope):
            await self.app(scope, receive, send)
        else:
            await refusal(Request(scope, receive))(scope, receive, send)


async def _admits(scope: Scope) -> bool:
    state: AppState = scope["app"].state.agora
    try:
        site = await state.site_cache.get_settings(state.db, state.here)
        if not site["private_instance"]:
            return True
        # resolved once: the route's own viewer dependency finds it on the request (its state lives in the scope)
        return visibility.may_read_site(await optional_viewer(Request(scope)), site)
    except Exception as error:
        if not is_unavailable(error):
            raise
        # The database is down. Without a login, the settings last read still decide; with one, or never read,
        # the route answers (its 503 page or JSON: it needs the database too, and no anonymous answer of a
        # private instance is ever cached).
        last = state.site_cache.last_read
        return last is None or not last["private_instance"] or request_token(Request(scope)) is not None


def refusal(request: Request) -> Response:
    """How each surface says no to a reader a private instance does not serve."""
    path = request.url.path
    body = {"error": Code.instance_is_private.value, "message": MESSAGE}
    if path.startswith(MACHINE_PREFIXES):
        return json_response(body, status=401)
    if _from_another_server(request):
        return json_response(body, status=403)
    target = path + (f"?{request.url.query}" if request.url.query else "")
    if request.method not in ("GET", "HEAD"):
        target = "/"
    return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)


def _from_another_server(request: Request) -> bool:
    """ActivityPub (asked for or sent), WebFinger, the inboxes: a server, not a browser."""
    path = request.url.path
    if path.startswith("/.well-known/") or (request.method == "POST" and path.endswith("inbox")):
        return True
    media = (request.headers.get("accept", "") + request.headers.get("content-type", "")).lower()
    return "activity+json" in media or "ld+json" in media
