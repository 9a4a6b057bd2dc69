"""Signing up, in and out: the steps every face takes, whatever its forms are called.

Lemmy 0.19 (v3) and 1.0 (v4) ask for an account, a session and a password change with the same fields and answer
with the same `LoginResponse`; a face passes its form (any object with the fields the protocols below name) and
returns what these give. Login throttling (`deps.check_login_allowed`) therefore guards every face alike.
"""

from __future__ import annotations

from typing import Any, Protocol

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.core.instance import LocalInstance
from agora.deps import AppState, check_login_allowed, client_ip, note_login, user_agent
from agora.domain import accounts, captchas, logins
from agora.errors import AgoraError
from agora.media import captcha
from agora.queries.viewer import Viewer
from agora.responses import SUCCESS, json_response


class RegisterForm(Protocol):
    username: str
    password: str
    password_verify: str
    email: str | None
    show_nsfw: bool | None
    answer: str | None
    honeypot: str | None
    captcha_uuid: str | None
    captcha_answer: str | None


class LoginForm(Protocol):
    username_or_email: str
    password: str
    totp_2fa_token: str | None


class PasswordForm(Protocol):
    old_password: str
    new_password: str
    new_password_verify: str


def login_response(jwt: str | None, *, registration_created: bool = False, verify_email_sent: bool = False) -> Response:
    """Lemmy's `LoginResponse`: `jwt` only when a session was opened (not while an application or email waits)."""
    body: dict[str, Any] = {"registration_created": registration_created, "verify_email_sent": verify_email_sent}
    if jwt:
        body["jwt"] = jwt
    return json_response(body)


def signed_out() -> Response:
    """Success, and the browser's `jwt` cookie cleared: the session it named is gone."""
    response = json_response(SUCCESS)
    response.delete_cookie("jwt", path="/")
    return response


async def register(
    form: RegisterForm, request: Request, db: AsyncSession, here: LocalInstance, site: dict[str, Any]
) -> Response:
    """Signs up under the site's registration mode; logged in at once unless an application or email must wait."""
    registration = accounts.Registration(
        username=form.username,
        password=form.password,
        password_verify=form.password_verify,
        email=form.email,
        show_nsfw=form.show_nsfw,
        answer=form.answer,
        honeypot=form.honeypot,
        accept_language=request.headers.get("accept-language"),
        invite_token=getattr(form, "token", None),  # API v4's Register carries it
    )
    result = await accounts.sign_up(
        db,
        here,
        registration,
        registration_mode=site["registration_mode"],
        captcha=(form.captcha_uuid, form.captcha_answer),
        ip=client_ip(request),
        user_agent=user_agent(request),
    )
    return login_response(
        result.jwt, registration_created=result.registration_created, verify_email_sent=result.verify_email_sent
    )


async def log_in(
    form: LoginForm, request: Request, db: AsyncSession, state: AppState, site: dict[str, Any]
) -> Response:
    """Checks the credentials (refused while this account or address fails too often), then opens a session.

    The check reads on the request's read session; only a success writes, in its own short transaction.
    """
    await check_login_allowed(request, state, form.username_or_email)
    try:
        checked = await logins.check_credentials(
            db,
            state.here,
            username_or_email=form.username_or_email,
            password=form.password,
            totp_token=form.totp_2fa_token,
            require_email_verification=site["require_email_verification"],
        )
    except AgoraError:
        await note_login(request, state, form.username_or_email, succeeded=False)
        raise
    await note_login(request, state, form.username_or_email, succeeded=True)
    async with state.db.write() as session:
        token = await logins.issue_token(
            session,
            state.here,
            checked.local_user_id,
            ip=client_ip(request),
            user_agent=user_agent(request),
            new_hash=checked.new_hash,
        )
    return login_response(token)


async def change_password(
    form: PasswordForm, request: Request, db: AsyncSession, here: LocalInstance, member: Viewer
) -> Response:
    """Changes the password; the member's other sessions end and this answer carries a fresh one."""
    token = await accounts.change_password(
        db,
        here,
        member,
        old_password=form.old_password,
        new_password=form.new_password,
        new_password_verify=form.new_password_verify,
        ip=client_ip(request),
        user_agent=user_agent(request),
    )
    return login_response(token)


async def new_captcha(db: AsyncSession, site: dict[str, Any]) -> dict[str, str] | None:
    """A fresh captcha (its PNG as base64 and the key to answer it under), or None when the site asks for none."""
    if not site["captcha_enabled"]:
        return None
    key, answer = await captchas.create(db, site["captcha_difficulty"])
    return {"png": captcha.render_png(answer), "uuid": key}
