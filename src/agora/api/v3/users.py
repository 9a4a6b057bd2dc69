"""/user/*: registration, login, sessions, settings, person details."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from agora.api import lookups, pictrs, sign_in
from agora.api.shared_routes import per_face
from agora.api.v3.shapes import accounts as shapes
from agora.api.v3.shapes.views import (
    comment_view_json,
    moderator_view_json,
    person_view_json,
    post_view_json,
)
from agora.deps import (
    MESSAGE,
    Here,
    Member,
    ReadDb,
    Reader,
    SiteSettings,
    State,
    WriteDb,
    rate_limited,
)
from agora.domain import accounts, blocks, totp, user_settings
from agora.errors import AgoraError, Code
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import paging, post_listings
from agora.queries import persons as person_queries
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["user"])


@router.post("/user/register", response_model=shapes.LoginResponse, dependencies=[rate_limited("register")])
async def register(form: shapes.Register, request: Request, db: WriteDb, here: Here, site: SiteSettings) -> Response:
    return await sign_in.register(form, request, db, here, site)


@router.post("/user/login", response_model=shapes.LoginResponse)
async def login(form: shapes.Login, request: Request, db: ReadDb, state: State, site: SiteSettings) -> Response:
    return await sign_in.log_in(form, request, db, state, site)


router.include_router(per_face.session_router(logout_path="/user/logout", validate_path="/user/validate_auth"))


@router.get("/user/list_logins", response_model=list[shapes.LoginToken], dependencies=[MESSAGE])
async def list_logins(member: Member, db: ReadDb) -> Response:
    return json_response(await person_queries.login_tokens(db, member.local_user_id))


@router.put("/user/save_user_settings", response_model=shapes.SuccessResponse, dependencies=[MESSAGE])
async def save_user_settings(form: shapes.SaveUserSettings, member: Member, db: WriteDb, state: State) -> Response:
    await user_settings.save(db, member, form.model_dump(exclude_unset=True))
    await pictrs.release_noted(db, state)
    return json_response(SUCCESS)


@router.put("/user/change_password", response_model=shapes.LoginResponse, dependencies=[MESSAGE])
async def change_password(
    form: shapes.ChangePassword, request: Request, member: Member, db: WriteDb, here: Here
) -> Response:
    return await sign_in.change_password(form, request, db, here, member)


@router.post("/user/delete_account", response_model=shapes.SuccessResponse, dependencies=[MESSAGE])
async def delete_account(form: shapes.DeleteAccount, member: Member, db: WriteDb, here: Here) -> Response:
    await accounts.delete_account(db, here, member, password=form.password, delete_content=form.delete_content)
    return sign_in.signed_out()


@router.post("/user/donation_dialog_shown", response_model=shapes.SuccessResponse, dependencies=[MESSAGE])
async def donation_dialog_shown(member: Member, db: WriteDb) -> Response:
    await user_settings.mark_donation_dialog_shown(db, member)
    return json_response(SUCCESS)


@router.get("/user/get_captcha", response_model=shapes.GetCaptchaResponse, dependencies=[rate_limited("post")])
async def get_captcha(db: WriteDb, site: SiteSettings) -> Response:
    made = await sign_in.new_captcha(db, site)
    # No audio captcha yet: `wav` is empty, which lemmy-ui treats as "no audio".
    return json_response({} if made is None else {"ok": {"png": made["png"], "wav": "", "uuid": made["uuid"]}})


@router.post("/user/password_reset", response_model=shapes.SuccessResponse, dependencies=[rate_limited("register")])
async def password_reset(form: shapes.PasswordReset) -> Response:
    # No mail transport is configured in Agora yet; Lemmy answers the same when email is not set up.
    raise AgoraError(Code.no_email_setup)


@router.post("/user/password_change", response_model=shapes.SuccessResponse, dependencies=[MESSAGE])
async def password_change(form: shapes.PasswordChangeAfterReset) -> Response:
    raise AgoraError(Code.token_not_found)


@router.post("/user/verify_email", response_model=shapes.SuccessResponse, dependencies=[MESSAGE])
async def verify_email(form: shapes.VerifyEmail) -> Response:
    raise AgoraError(Code.token_not_found)


@router.post("/user/totp/generate", response_model=shapes.GenerateTotpSecretResponse, dependencies=[MESSAGE])
async def totp_generate(member: Member, db: WriteDb, here: Here) -> Response:
    url = await totp.generate(db, member.local_user_id, account_name=member.name, issuer=here.domain)
    return json_response({"totp_secret_url": url})


@router.post("/user/totp/update", response_model=shapes.UpdateTotpResponse, dependencies=[MESSAGE])
async def totp_update(form: shapes.UpdateTotp, member: Member, db: WriteDb) -> Response:
    enabled = await totp.update(db, member.local_user_id, form.totp_token, form.enabled)
    return json_response({"enabled": enabled})


@router.get("/user", response_model=shapes.GetPersonDetailsResponse, dependencies=[MESSAGE])
async def get_person_details(
    params: Annotated[shapes.GetPersonDetails, Query()], viewer: Reader, db: ReadDb, here: Here, state: State
) -> Response:
    person_view = await lookups.person(
        db, await lookups.person_id_of(db, viewer, here, state, params.person_id, params.username)
    )
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


@router.post("/user/block", response_model=shapes.BlockPersonResponse, dependencies=[MESSAGE])
async def block_person(form: shapes.BlockPerson, member: Member, db: WriteDb) -> Response:
    await blocks.block_person(db, member, form.person_id, form.block)
    view = await lookups.person(db, form.person_id)
    return json_response({"person_view": person_view_json(view), "blocked": form.block})
