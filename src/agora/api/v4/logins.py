"""/account/auth/* beyond register and login: passwords, two-factor, captchas, sessions; deleting the account."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.responses import Response

from agora.api import sign_in
from agora.api.v4.shapes.accounts import LoginResponse
from agora.api.v4.shapes.base import Form, Shape, SuccessResponse
from agora.deps import MESSAGE, Here, Member, ReadDb, SiteSettings, WriteDb, rate_limited
from agora.domain import accounts, totp, user_settings
from agora.errors import AgoraError, Code
from agora.queries import persons as person_queries
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: account"])
Password = Field(max_length=1000)


class ChangePassword(Form):
    new_password: str = Password
    new_password_verify: str = Password
    old_password: str = Password


class DeleteAccount(Form):
    password: str = Password
    delete_content: bool


class EditTotp(Form):
    totp_token: str = Field(max_length=16)
    enabled: bool


class TokenForm(Form):
    """The email flows' forms (reset, change after reset, verify, resend): refused alike without a mail transport."""

    email: str | None = Field(None, max_length=255)
    token: str | None = Field(None, max_length=1000)


class ListLoginsResponse(Shape):
    logins: list[dict]


@router.put("/account/auth/change_password", response_model=LoginResponse, dependencies=[MESSAGE])
async def change_password(form: ChangePassword, request: Request, member: Member, db: WriteDb, here: Here) -> Response:
    return await sign_in.change_password(form, request, db, here, member)


@router.delete("/account", response_model=SuccessResponse, dependencies=[MESSAGE])
async def delete_account(form: DeleteAccount, member: Member, db: WriteDb, here: Here) -> Response:
    await accounts.delete_account(db, here, member, password=form.password, delete_content=form.delete_content)
    return sign_in.signed_out()


@router.post("/account/donation_dialog_shown", response_model=SuccessResponse, dependencies=[MESSAGE])
async def donation_dialog_shown(member: Member, db: WriteDb) -> Response:
    await user_settings.mark_donation_dialog_shown(db, member)
    return json_response(SUCCESS)


@router.get("/account/auth/get_captcha", dependencies=[rate_limited("post")])
async def get_captcha(db: WriteDb, site: SiteSettings) -> Response:
    made = await sign_in.new_captcha(db, site)
    return json_response({} if made is None else {"ok": made})


# No mail transport is configured in Agora yet: Lemmy answers these so when email is not set up.
@router.post("/account/auth/password_reset", response_model=SuccessResponse, dependencies=[rate_limited("register")])
async def password_reset(form: TokenForm) -> Response:
    raise AgoraError(Code.no_email_setup)


@router.post("/account/auth/resend_verification_email", response_model=SuccessResponse, dependencies=[MESSAGE])
async def resend_verification_email(form: TokenForm) -> Response:
    raise AgoraError(Code.no_email_setup)


@router.post("/account/auth/password_change", response_model=SuccessResponse, dependencies=[MESSAGE])
async def password_change(form: TokenForm) -> Response:
    raise AgoraError(Code.token_not_found)


@router.post("/account/auth/verify_email", response_model=SuccessResponse, dependencies=[MESSAGE])
async def verify_email(form: TokenForm) -> Response:
    raise AgoraError(Code.token_not_found)


@router.post("/account/auth/totp/generate", dependencies=[MESSAGE])
async def totp_generate(member: Member, db: WriteDb, here: Here) -> Response:
    url = await totp.generate(db, member.local_user_id, account_name=member.name, issuer=here.domain)
    return json_response({"totp_secret_url": url})


@router.post("/account/auth/totp/edit", dependencies=[MESSAGE])
async def totp_edit(form: EditTotp, member: Member, db: WriteDb) -> Response:
    enabled = await totp.update(db, member.local_user_id, form.totp_token, form.enabled)
    return json_response({"enabled": enabled})


@router.get("/account/login/list", response_model=ListLoginsResponse, dependencies=[MESSAGE])
async def list_logins(member: Member, db: ReadDb) -> Response:
    tokens = await person_queries.login_tokens(db, member.local_user_id)
    logins = [{**{k: v for k, v in t.items() if k != "published"}, "published_at": t["published"]} for t in tokens]
    return json_response({"logins": logins})
