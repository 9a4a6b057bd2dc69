"""/user/*: registration, login, sessions, settings, person details."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from agora.api import pictrs
from agora.api.v3.shapes.accounts import (
    BlockPerson,
    BlockPersonResponse,
    ChangePassword,
    DeleteAccount,
    GenerateTotpSecretResponse,
    GetCaptchaResponse,
    GetPersonDetails,
    GetPersonDetailsResponse,
    Login,
    LoginResponse,
    LoginToken,
    PasswordChangeAfterReset,
    PasswordReset,
    Register,
    SaveUserSettings,
    SuccessResponse,
    UpdateTotp,
    UpdateTotpResponse,
    VerifyEmail,
)
from agora.api.v3.shapes.views import (
    comment_view_json,
    moderator_view_json,
    person_view_json,
    post_view_json,
)
from agora.deps import (
    Here,
    MaybeViewer,
    Member,
    ReadDb,
    Reader,
    SiteSettings,
    State,
    WriteDb,
    check_login_allowed,
    client_ip,
    note_login,
    rate_limited,
    user_agent,
)
from agora.domain import accounts, blocks, captchas, logins, totp, user_settings
from agora.errors import AgoraError, Code
from agora.federation import fetch
from agora.media import captcha
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import paging, post_listings
from agora.queries import persons as person_queries
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["user"])
MESSAGE = rate_limited("message")


def _login_response(
    jwt: str | None, *, registration_created: bool = False, verify_email_sent: bool = False
) -> Response:
    body: dict = {"registration_created": registration_created, "verify_email_sent": verify_email_sent}
    if jwt:
        body["jwt"] = jwt
    return json_response(body)


@router.post("/user/register", response_model=LoginResponse, dependencies=[rate_limited("register")])
async def register(form: Register, request: Request, db: WriteDb, here: Here, site: SiteSettings) -> Response:
    registration = accounts.Registration(
        username=form.username,
        password=form.password,
        password_verify=form.password_verify,
        email=form.email,
        show_nsfw=form.show_nsfw,
        answer=form.answer,
        honeypot=form.honeypot,
        accept_language=request.headers.get("accept-language"),
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
    return _login_response(
        result.jwt, registration_created=result.registration_created, verify_email_sent=result.verify_email_sent
    )


@router.post("/user/login", response_model=LoginResponse)
async def login(form: Login, request: Request, db: ReadDb, state: State, site: SiteSettings) -> Response:
    check_login_allowed(request, state, form.username_or_email)
    try:
        local_user_id = await logins.check_credentials(
            db,
            state.here,
            username_or_email=form.username_or_email,
            password=form.password,
            totp_token=form.totp_2fa_token,
            require_email_verification=site["require_email_verification"],
        )
    except AgoraError:
        note_login(request, state, form.username_or_email, succeeded=False)
        raise
    note_login(request, state, form.username_or_email, succeeded=True)
    async with state.db.write() as session:
        token = await logins.issue_token(
            session, state.here, local_user_id, ip=client_ip(request), user_agent=user_agent(request)
        )
    return _login_response(token)


@router.post("/user/logout", response_model=SuccessResponse, dependencies=[MESSAGE])
async def logout(member: Member, db: WriteDb) -> Response:
    await logins.revoke_token(db, member.token)
    response = json_response(SUCCESS)
    response.delete_cookie("jwt", path="/")
    return response


@router.get("/user/validate_auth", response_model=SuccessResponse, dependencies=[MESSAGE])
async def validate_auth(viewer: MaybeViewer) -> Response:
    if viewer is None:
        raise AgoraError(Code.not_logged_in)
    return json_response(SUCCESS)


@router.get("/user/list_logins", response_model=list[LoginToken], dependencies=[MESSAGE])
async def list_logins(member: Member, db: ReadDb) -> Response:
    return json_response(await person_queries.login_tokens(db, member.local_user_id))


@router.put("/user/save_user_settings", response_model=SuccessResponse, dependencies=[MESSAGE])
async def save_user_settings(form: SaveUserSettings, member: Member, db: WriteDb, state: State) -> Response:
    await user_settings.save(db, member, form.model_dump(exclude_unset=True))
    await pictrs.release_noted(db, state)
    return json_response(SUCCESS)


@router.put("/user/change_password", response_model=LoginResponse, dependencies=[MESSAGE])
async def change_password(form: ChangePassword, request: Request, member: Member, db: WriteDb, here: Here) -> Response:
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
    return _login_response(token)


@router.post("/user/delete_account", response_model=SuccessResponse, dependencies=[MESSAGE])
async def delete_account(form: DeleteAccount, member: Member, db: WriteDb, here: Here) -> Response:
    await accounts.delete_account(db, here, member, password=form.password, delete_content=form.delete_content)
    response = json_response(SUCCESS)
    response.delete_cookie("jwt", path="/")
    return response


@router.post("/user/donation_dialog_shown", response_model=SuccessResponse, dependencies=[MESSAGE])
async def donation_dialog_shown(member: Member, db: WriteDb) -> Response:
    await user_settings.mark_donation_dialog_shown(db, member)
    return json_response(SUCCESS)


@router.get("/user/get_captcha", response_model=GetCaptchaResponse, dependencies=[rate_limited("post")])
async def get_captcha(db: WriteDb, site: SiteSettings) -> Response:
    if not site["captcha_enabled"]:
        return json_response({})
    key, answer = await captchas.create(db, site["captcha_difficulty"])
    # No audio captcha yet: `wav` is empty, which lemmy-ui treats as "no audio".
    return json_response({"ok": {"png": captcha.render_png(answer), "wav": "", "uuid": key}})


@router.post("/user/password_reset", response_model=SuccessResponse, dependencies=[rate_limited("register")])
async def password_reset(form: PasswordReset) -> Response:
    # No mail transport is configured in Agora yet; Lemmy answers the same when email is not set up.
    raise AgoraError(Code.no_email_setup)


@router.post("/user/password_change", response_model=SuccessResponse, dependencies=[MESSAGE])
async def password_change(form: PasswordChangeAfterReset) -> Response:
    raise AgoraError(Code.token_not_found)


@router.post("/user/verify_email", response_model=SuccessResponse, dependencies=[MESSAGE])
async def verify_email(form: VerifyEmail) -> Response:
    raise AgoraError(Code.token_not_found)


@router.post("/user/totp/generate", response_model=GenerateTotpSecretResponse, dependencies=[MESSAGE])
async def totp_generate(member: Member, db: WriteDb, here: Here) -> Response:
    url = await totp.generate(db, member.local_user_id, account_name=member.name, issuer=here.domain)
    return json_response({"totp_secret_url": url})


@router.post("/user/totp/update", response_model=UpdateTotpResponse, dependencies=[MESSAGE])
async def totp_update(form: UpdateTotp, member: Member, db: WriteDb) -> Response:
    enabled = await totp.update(db, member.local_user_id, form.totp_token, form.enabled)
    return json_response({"enabled": enabled})


@router.get("/user", response_model=GetPersonDetailsResponse, dependencies=[MESSAGE])
async def get_person_details(
    params: Annotated[GetPersonDetails, Query()], viewer: Reader, db: ReadDb, here: Here, state: State
) -> Response:
    person_id = params.person_id
    if person_id is None:
        if not params.username:
            raise AgoraError(Code.no_id_given)
        person_id = await person_queries.find_id(db, here.instance_id, params.username)
        if person_id is None and "@" in params.username and viewer is not None:
            person_id = await fetch.actor_by_handle(state, params.username, "Person")
    person_view = await person_queries.get_view(db, person_id) if person_id is not None else None
    if person_view is None:
        raise AgoraError(Code.couldnt_find_person)
    person_id = person_view.person["id"]
    page, limit = paging.check_page(params.page, params.limit)
    sort = params.sort or "New"
    saved_only = bool(params.saved_only) and viewer is not None
    post_page = await post_listings.list_posts(
        db,
        viewer,
        post_listings.PostQuery(
            listing_type="All",
            sort=sort,
            community_id=params.community_id,
            creator_id=None if saved_only else person_id,
            saved_only=saved_only,
            show_hidden=True,
            show_read=True,
            show_nsfw=True if viewer is None else None,
            page=page,
            limit=limit,
            keep_deleted_of_creator=True,
        ),
    )
    comment_list = await comment_queries.list_comments(
        db,
        viewer,
        comment_queries.CommentQuery(
            listing_type="All",
            sort=comment_queries.FROM_POST_SORT.get(sort, "Top" if sort.startswith("Top") else "New"),
            community_id=params.community_id,
            creator_id=None if saved_only else person_id,
            saved_only=saved_only,
            page=page,
            limit=limit,
        ),
    )
    moderates = await community_queries.moderated_by(db, viewer, person_id)
    return json_response(
        {
            "person_view": person_view_json(person_view),
            "comments": [comment_view_json(c) for c in comment_list],
            "posts": [post_view_json(p) for p in post_page.posts],
            "moderates": [moderator_view_json(m) for m in moderates],
        }
    )


@router.post("/user/block", response_model=BlockPersonResponse, dependencies=[MESSAGE])
async def block_person(form: BlockPerson, member: Member, db: WriteDb) -> Response:
    await blocks.block_person(db, member, form.person_id, form.block)
    view = await person_queries.get_view(db, form.person_id)
    if view is None:
        raise AgoraError(Code.couldnt_find_person)
    return json_response({"person_view": person_view_json(view), "blocked": form.block})
