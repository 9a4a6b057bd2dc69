"""Log in, sign up (with the site's registration question and captcha), log out, settings, change password."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.deps import ReadDb, check_login_allowed, client_ip, note_login, spend, take_token, user_agent
from agora.domain import accounts, captchas, logins, user_settings
from agora.errors import AgoraError, Code
from agora.media import captcha
from agora.queries import site as site_queries
from agora.web import forms, security, uploads
from agora.web.context import CheckedForm, Ctx, MemberCtx, MemberPageContext, PageContext
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)


def _secure(ctx: PageContext) -> bool:
    return ctx.state.settings.use_https


@router.get("/login")
async def login_page(ctx: Ctx) -> Response:
    if ctx.viewer is not None:
        return ctx.redirect(ctx.params.get("next"))
    return await ctx.page("login.html", values={"next": ctx.params.get("next", "")})


@router.post("/login")
async def login(ctx: Ctx, form: CheckedForm) -> Response:
    values = {"username_or_email": forms.text(form, "username_or_email").strip(), "next": forms.text(form, "next")}
    try:
        await check_login_allowed(ctx.request, ctx.state, values["username_or_email"])
    except AgoraError as error:
        refused = await ctx.page("login.html", status=429, values=values, error=forms.message(error))
        refused.headers["retry-after"] = str(error.retry_after)
        return refused
    try:
        async with ctx.state.db.read() as db:
            checked = await logins.check_credentials(
                db,
                ctx.state.here,
                username_or_email=values["username_or_email"],
                password=forms.text(form, "password"),
                totp_token=forms.optional(form, "totp_2fa_token"),
                require_email_verification=ctx.site["require_email_verification"],
            )
        async with ctx.state.db.write() as db:
            token = await logins.issue_token(
                db,
                ctx.state.here,
                checked.local_user_id,
                ip=client_ip(ctx.request),
                user_agent=user_agent(ctx.request),
                new_hash=checked.new_hash,
            )
    except AgoraError as error:
        await note_login(ctx.request, ctx.state, values["username_or_email"], succeeded=False)
        return await ctx.page("login.html", status=400, values=values, error=forms.message(error))
    await note_login(ctx.request, ctx.state, values["username_or_email"], succeeded=True)
    response = ctx.redirect(values["next"])
    security.set_login(response, token, secure=_secure(ctx))
    return response


@router.post("/logout")
async def logout(ctx: Ctx, form: CheckedForm) -> Response:
    if ctx.viewer is not None:
        async with ctx.state.db.write() as db:
            await logins.revoke_token(db, ctx.viewer.token)
    response = ctx.redirect("/")
    security.clear_login(response)
    return response


# Beside which field of the sign-up form a refusal is shown; the others go at the top.
SIGNUP_FIELD_OF = {
    Code.user_already_exists: "username",
    Code.invalid_name: "username",
    Code.email_already_exists: "email",
    Code.email_required: "email",
    Code.invalid_password: "password",
    Code.passwords_do_not_match: "password_verify",
    Code.registration_application_answer_required: "answer",
    Code.missing_invite_token: "invite_token",
    Code.invalid_invite_token: "invite_token",
    Code.captcha_incorrect: "captcha_answer",
}


async def _signup_page(ctx: PageContext, values: dict, *, error: AgoraError | None = None) -> Response:
    challenge = None
    if ctx.site["captcha_enabled"] and ctx.site["registration_mode"] != "Closed":
        # each captcha is a row: limited like the API's get_captcha
        await spend(ctx.request, ctx.state, ctx.site, "post")
        async with ctx.state.db.write() as db:
            key, answer = await captchas.create(db, ctx.site["captcha_difficulty"])
        challenge = {"uuid": key, "png": captcha.render_png(answer)}
    errors = forms.refusal(error, SIGNUP_FIELD_OF) if error else {}
    return await ctx.page("signup.html", refused_by=error, values=values, errors=errors, captcha=challenge)


@router.get("/signup")
async def signup_page(ctx: Ctx) -> Response:
    if ctx.viewer is not None:
        return ctx.redirect("/")
    return await _signup_page(ctx, {})


@router.post("/signup")
async def signup(ctx: Ctx, form: CheckedForm) -> Response:
    username, email = forms.text(form, "username").strip(), forms.optional(form, "email")
    answer, show_nsfw = forms.text(form, "answer"), forms.flag(form, "show_nsfw")
    invite_token = forms.optional(form, "invite_token")
    values = {
        "username": username,
        "email": email,
        "answer": answer,
        "show_nsfw": show_nsfw,
        "invite_token": invite_token,
    }
    registration = accounts.Registration(
        username=username,
        password=forms.text(form, "password"),
        password_verify=forms.text(form, "password_verify"),
        email=email,
        show_nsfw=show_nsfw,
        answer=answer,
        honeypot=forms.optional(form, "honeypot"),
        accept_language=ctx.request.headers.get("accept-language"),
        invite_token=invite_token,
    )
    try:
        await take_token(ctx.request, "register")  # here, not as a dependency: a refused sign-up keeps its fields
        accounts.check_registration_open(ctx.site["registration_mode"], registration)
        password_hash = await accounts.hash_new_password(registration.password, registration.password_verify)
        async with ctx.state.db.write() as db:
            if ctx.site["captcha_enabled"]:
                await captchas.check(db, forms.optional(form, "captcha_uuid"), forms.optional(form, "captcha_answer"))
            result = await accounts.register(
                db,
                ctx.state.here,
                registration,
                password_hash=password_hash,
                ip=client_ip(ctx.request),
                user_agent=user_agent(ctx.request),
            )
    except AgoraError as error:
        return await _signup_page(ctx, values, error=error)
    if result.jwt:
        response = ctx.redirect("/")
        security.set_login(response, result.jwt, secure=_secure(ctx))
        return response
    return await ctx.page("signed_up.html", result=result, name=values["username"])


SETTINGS_FLAGS = ("show_nsfw", "show_read_posts", "show_bot_accounts", "show_scores", "bot_account")


# Beside which field of the settings page a refusal is shown; the others go at the top of their form.
SETTINGS_FIELD_OF = {
    Code.invalid_display_name: "display_name",
    Code.bio_length_overflow: "bio",
    Code.email_already_exists: "email",
    Code.invalid_matrix_id: "matrix_user_id",
    Code.incorrect_login: "old_password",
    Code.invalid_password: "new_password",
    Code.passwords_do_not_match: "new_password_verify",
}
PERSON_FIELDS = ("display_name", "bio", "matrix_user_id", "bot_account")


async def _settings_page(
    ctx: MemberPageContext,
    db: AsyncSession,
    *,
    refused: tuple[str, AgoraError] | None = None,
    typed: dict[str, Any] | None = None,
    saved: str | None = None,
) -> Response:
    """The settings; after a refusal (`refused`: which form, what error) with what was typed and the error by its
    field, or at the top of its form."""
    me = await site_queries.my_user(db, ctx.viewer)
    user, person = dict(me.local_user_view.local_user), dict(me.local_user_view.person)
    for key, value in (typed or {}).items():
        (person if key in PERSON_FIELDS else user)[key] = value
    errors = {}
    if refused is not None:
        which, error = refused
        wrong_current = which == "password" and error.code == Code.incorrect_login
        text = "The current password is wrong." if wrong_current else forms.message(error)
        errors[SETTINGS_FIELD_OF.get(error.code, which)] = text
    return await ctx.page(
        "settings.html",
        status=400 if refused else 200,
        user=user,
        person=person,
        blocks=me,
        errors=errors,
        saved=saved,
        sorts=sorted(user_settings.SORT_TYPES),
        listing_types=("All", "Local", "Subscribed"),
    )


@router.get("/settings")
async def settings_page(ctx: MemberCtx, db: ReadDb) -> Response:
    return await _settings_page(ctx, db, saved=ctx.params.get("saved"))


@router.post("/settings")
async def save_settings(ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    changes: dict[str, Any] = {
        "display_name": forms.text(form, "display_name"),
        "bio": forms.text(form, "bio"),
        "email": forms.text(form, "email").strip(),
        "matrix_user_id": forms.text(form, "matrix_user_id"),
        "default_sort_type": forms.optional(form, "default_sort_type"),
        "default_listing_type": forms.optional(form, "default_listing_type"),
        **{name: forms.flag(form, name) for name in SETTINGS_FLAGS},
    }
    if not changes["display_name"].strip():
        changes["display_name"] = None  # a blank field keeps the name; Lemmy clears it only by an explicit ""
    avatar, image = forms.upload(form, "avatar"), None
    try:
        async with ctx.state.db.write() as write:
            if avatar is not None:
                image = await uploads.store_image(ctx, write, avatar)
                changes["avatar"] = uploads.image_url(ctx, image.thumbnail_name)
            await user_settings.save(write, ctx.viewer, changes)
            await uploads.release_noted(ctx, write)
    except AgoraError as error:
        uploads.discard(ctx, image)
        return await _settings_page(ctx, db, refused=("settings", error), typed=changes)
    return ctx.done("/settings", said="Settings saved.")


@router.post("/settings/password")
async def change_password(ctx: MemberCtx, form: CheckedForm, db: ReadDb) -> Response:
    try:
        async with ctx.state.db.write() as write:
            token = await accounts.change_password(
                write,
                ctx.state.here,
                ctx.viewer,
                old_password=forms.text(form, "old_password"),
                new_password=forms.text(form, "new_password"),
                new_password_verify=forms.text(form, "new_password_verify"),
                ip=client_ip(ctx.request),
                user_agent=user_agent(ctx.request),
            )
    except AgoraError as error:
        return await _settings_page(ctx, db, refused=("password", error))
    # Every other session ended; this browser carries on with the new token.
    response = ctx.redirect("/settings?saved=password")
    security.set_login(response, token, secure=_secure(ctx))
    return response
