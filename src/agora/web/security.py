"""CSRF tokens and the security headers of every web response.

CSRF is a signed double submit: a random nonce lives in an HttpOnly cookie, and each form carries
HMAC(key, nonce | login token). A forged form from another site cannot read the cookie, so it cannot compute the
token; binding the login token means a nonce planted by a sibling domain is useless once the victim is logged in.
The key is derived from the instance's JWT secret, which every process on the database shares.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "agora_csrf"
CSRF_FIELD = "csrf_token"
LOGIN_COOKIE = "jwt"
LOGIN_MAX_AGE = 90 * 24 * 3600

# No inline script or style anywhere: the page's JS and CSS are files under /static. Images may come from any
# https host (link thumbnails, markdown images); the captcha is a data: URL.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "media-src 'self' https:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class CsrfRefused(Exception):
    """A web POST without a valid token, or from another origin."""


def _key(jwt_secret: str) -> bytes:
    return hmac.new(jwt_secret.encode(), b"agora web csrf v1", hashlib.sha256).digest()


def _sign(jwt_secret: str, nonce: str, login: str | None) -> str:
    message = f"{nonce}|{login or ''}".encode()
    return hmac.new(_key(jwt_secret), message, hashlib.sha256).hexdigest()


def csrf_token(request: Request, jwt_secret: str) -> str:
    """The token for forms on this page; issues a nonce (set as a cookie by `finish`) when the browser has none."""
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf_nonce", None)
    if not nonce:
        nonce = secrets.token_urlsafe(24)
        request.state.csrf_nonce = nonce
    return _sign(jwt_secret, nonce, request.cookies.get(LOGIN_COOKIE))


def check_csrf(request: Request, jwt_secret: str, submitted: object) -> None:
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
        raise CsrfRefused("cross-origin form")
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce or not isinstance(submitted, str) or not submitted:
        raise CsrfRefused("missing token")
    if not hmac.compare_digest(submitted, _sign(jwt_secret, nonce, request.cookies.get(LOGIN_COOKIE))):
        raise CsrfRefused("wrong token")


def set_login(response: Response, token: str, *, secure: bool) -> None:
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=LOGIN_MAX_AGE, path="/", httponly=True, samesite="lax", secure=secure
    )


def clear_login(response: Response) -> None:
    response.delete_cookie(LOGIN_COOKIE, path="/")


def finish(request: Request, response: Response, *, secure: bool) -> Response:
    """Headers every web response carries, and the CSRF nonce cookie if this request issued one."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "private, no-cache")
    response.headers.setdefault("Vary", "Cookie")
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, nonce, path="/", httponly=True, samesite="lax", secure=secure)
    return response
