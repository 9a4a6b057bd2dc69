"""/oauth_provider (admins add, edit and remove login providers) and /oauth/authenticate (sign in with one)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.responses import Response

from agora.api import sign_in
from agora.api.v4.shapes.accounts import LoginResponse
from agora.api.v4.shapes.base import Form, Id, SuccessResponse
from agora.api.v4.shapes.oauth import AdminOAuthProvider, admin_provider_json
from agora.deps import MESSAGE, Member, State, WriteDb, client_ip, rate_limited, user_agent
from agora.domain import oauth_logins, oauth_providers
from agora.queries.oauth_providers import shown
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: oauth"])
Url = Field(max_length=2000)
Text = Field(max_length=1000)


class _ProviderSwitches(Form):
    """A provider's switches, each optional: left as they were on an edit, Lemmy's defaults for a new provider."""

    auto_verify_email: bool | None = None
    account_linking_enabled: bool | None = None
    use_pkce: bool | None = None
    enabled: bool | None = None


class EditOAuthProvider(_ProviderSwitches):
    id: Id
    display_name: str | None = Field(None, max_length=255)
    authorization_endpoint: str | None = Field(None, max_length=2000)
    token_endpoint: str | None = Field(None, max_length=2000)
    userinfo_endpoint: str | None = Field(None, max_length=2000)
    id_claim: str | None = Field(None, max_length=255)
    client_secret: str | None = Field(None, max_length=10_000)
    scopes: str | None = Field(None, max_length=1000)


class CreateOAuthProvider(_ProviderSwitches):
    display_name: str = Field(max_length=255)
    issuer: str = Url
    authorization_endpoint: str = Url
    token_endpoint: str = Url
    userinfo_endpoint: str = Url
    id_claim: str = Field(max_length=255)
    client_id: str = Text
    client_secret: str = Field(max_length=10_000)
    scopes: str = Text


class DeleteOAuthProvider(Form):
    id: Id


class AuthenticateWithOauth(Form):
    code: str = Field(max_length=10_000)
    oauth_provider_id: int
    redirect_uri: str = Url
    show_nsfw: bool | None = None
    username: str | None = Field(None, max_length=255)
    answer: str | None = Field(None, max_length=100_000)
    pkce_code_verifier: str | None = Field(None, max_length=1000)
    stay_logged_in: bool | None = None  # Agora's sessions last until logout either way


@router.post("/oauth_provider", response_model=AdminOAuthProvider, dependencies=[MESSAGE])
async def create_provider(form: CreateOAuthProvider, member: Member, db: WriteDb) -> Response:
    provider = await oauth_providers.create(db, member, form.model_dump())
    return json_response(admin_provider_json(shown(provider)))


@router.put("/oauth_provider", response_model=AdminOAuthProvider, dependencies=[MESSAGE])
async def edit_provider(form: EditOAuthProvider, member: Member, db: WriteDb) -> Response:
    provider = await oauth_providers.edit(db, member, form.id, form.model_dump(exclude={"id"}))
    return json_response(admin_provider_json(shown(provider)))


@router.delete("/oauth_provider", response_model=SuccessResponse, dependencies=[MESSAGE])
async def delete_provider(form: DeleteOAuthProvider, member: Member, db: WriteDb) -> Response:
    await oauth_providers.delete(db, member, form.id)
    return json_response(SUCCESS)


@router.post("/oauth/authenticate", response_model=LoginResponse, dependencies=[rate_limited("register")])
async def authenticate(form: AuthenticateWithOauth, request: Request, state: State) -> Response:
    """Read the provider, ask it who the person is (no transaction open meanwhile), then log in or sign up."""
    oauth_logins.check_request(form.oauth_provider_id, form.code, form.redirect_uri, form.pkce_code_verifier)
    async with state.db.read() as session:
        provider = await oauth_logins.provider_for_login(session, form.oauth_provider_id)
    claims = await oauth_logins.fetch_claims(
        state.outbound,
        provider,
        code=form.code,
        redirect_uri=form.redirect_uri,
        code_verifier=form.pkce_code_verifier,
    )
    choices = oauth_logins.OAuthSignIn(
        username=form.username,
        show_nsfw=form.show_nsfw,
        answer=form.answer,
        accept_language=request.headers.get("accept-language"),
    )
    async with state.db.write() as session:
        result = await oauth_logins.sign_in(
            session, state.here, provider, claims, choices, ip=client_ip(request), user_agent=user_agent(request)
        )
    return sign_in.login_response(
        result.jwt, registration_created=result.registration_created, verify_email_sent=result.verify_email_sent
    )
