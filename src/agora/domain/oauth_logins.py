"""Signing in through an OAuth 2.0 / OIDC provider, as Lemmy 1.0 does it.

The app sends the person to the provider's authorization endpoint and comes back with a code. We trade the code
(with the app's PKCE verifier, where it used one) at the provider's token endpoint, read the person's claims from
its userinfo endpoint, and take the provider's `id_claim` as who they are. Three steps, each its own call so that no
transaction stays open while the provider answers:

1. `check_request` and `provider_for_login`: Lemmy's early refusals, then the enabled provider (a detached copy);
2. `fetch_claims`: the code exchange and the userinfo read, through the one outbound client (its address rules);
3. `sign_in`, in a write transaction: the account linked to that subject logs in; else, where the site lets people
   sign up through a provider, an account with the same (verified) email is linked if the provider allows it, or a
   new account is made under the username the app sends.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import LocalUser, OAuthAccount, OAuthProvider, Person
from agora.domain import accounts, logins
from agora.domain.accounts import Registered
from agora.domain.site import local_site
from agora.errors import AgoraError, Code
from agora.outbound import Outbound, OutboundError

CALLBACK_PATH = "/oauth/callback"  # the only redirect path Lemmy's apps register with a provider
_CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")  # RFC 7636's alphabet and lengths
_CODE_MAX = 300


@dataclass(slots=True)
class OAuthSignIn:
    """What the app sends besides the code: for a first sign-in, the new account's name and choices."""

    username: str | None = None
    show_nsfw: bool | None = None
    answer: str | None = None
    accept_language: str | None = None


def check_request(provider_id: int, code: str, redirect_uri: str, code_verifier: str | None) -> None:
    """Lemmy's refusals before anything is read: an empty or long code, a redirect other than an app's callback,
    a PKCE verifier outside RFC 7636."""
    if provider_id <= 0 or not code or len(code) > _CODE_MAX:
        raise AgoraError(Code.oauth_authorization_invalid)
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path != CALLBACK_PATH or parts.query:
        raise AgoraError(Code.oauth_authorization_invalid)
    if code_verifier is not None and not _CODE_VERIFIER.fullmatch(code_verifier):
        raise AgoraError(Code.invalid_code_verifier)


async def provider_for_login(session: AsyncSession, provider_id: int) -> OAuthProvider:
    """The enabled provider, detached from the session (its fields stay readable after the read ends)."""
    provider = await session.get(OAuthProvider, provider_id)
    if provider is None or not provider.enabled:
        raise AgoraError(Code.oauth_authorization_invalid)
    session.expunge(provider)
    return provider


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise AgoraError(Code.oauth_login_failed) from exc
    if not isinstance(value, dict):
        raise AgoraError(Code.oauth_login_failed)
    return value


def claim(claims: dict[str, Any], name: str) -> str:
    """A string claim the sign-in needs (the subject, the email); a provider that leaves it out fails the login."""
    value = claims.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # some providers (GitHub's "id") number their users
    if not isinstance(value, str) or not value:
        raise AgoraError(Code.oauth_login_failed)
    return value


async def fetch_claims(
    outbound: Outbound, provider: OAuthProvider, *, code: str, redirect_uri: str, code_verifier: str | None
) -> dict[str, Any]:
    """The person's claims from the provider's userinfo endpoint, with the access token the code is traded for.
    Any refusal or unreadable answer of the provider's is `oauth_login_failed`."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
    }
    if code_verifier is not None:
        form["code_verifier"] = code_verifier
    try:
        token = await outbound.post(
            provider.token_endpoint,
            content=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        if token.status >= 400:
            raise AgoraError(Code.oauth_login_failed)
        access_token = claim(_json_object(token.content), "access_token")
        info = await outbound.get(
            provider.userinfo_endpoint,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            max_redirects=0,
        )
    except OutboundError as exc:
        raise AgoraError(Code.oauth_login_failed) from exc
    if info.status >= 400:
        raise AgoraError(Code.oauth_login_failed)
    return _json_object(info.content)


async def _linked(session: AsyncSession, provider_id: int, subject: str) -> tuple[LocalUser, Person] | None:
    query = (
        select(LocalUser, Person)
        .join(OAuthAccount, OAuthAccount.local_user_id == LocalUser.id)
        .join(Person, Person.id == LocalUser.person_id)
        .where(OAuthAccount.oauth_provider_id == provider_id, OAuthAccount.oauth_user_id == subject)
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


async def _by_email(session: AsyncSession, email: str) -> tuple[LocalUser, Person] | None:
    query = (
        select(LocalUser, Person)
        .join(Person, Person.id == LocalUser.person_id)
        .where(LocalUser.email.is_not(None), func.lower(LocalUser.email) == email.lower())
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


def _link(session: AsyncSession, local_user_id: int, provider_id: int, subject: str) -> None:
    session.add(OAuthAccount(local_user_id=local_user_id, oauth_provider_id=provider_id, oauth_user_id=subject))


async def sign_in(
    session: AsyncSession,
    here: LocalInstance,
    provider: OAuthProvider,
    claims: dict[str, Any],
    form: OAuthSignIn,
    *,
    ip: str | None,
    user_agent: str | None,
) -> Registered:
    """Log in, link or sign up the person the provider vouched for (refusals in Lemmy's order); a token only when
    the account may log in at once."""
    site = await local_site(session, here)
    subject = claim(claims, provider.id_claim)
    must_verify = bool(site.require_email_verification)
    found = await _linked(session, provider.id, subject)
    if found is None:
        if site.registration_mode == "Closed":
            raise AgoraError(Code.registration_closed)
        if not site.oauth_registration:
            raise AgoraError(Code.oauth_registration_closed)
        email = claim(claims, "email")
        found = await _by_email(session, email)
        if found is not None:
            # Only a site that verifies emails can trust one to name the same person here and at the provider.
            if not (provider.account_linking_enabled and must_verify):
                raise AgoraError(Code.email_already_exists)
            await logins.check_account(session, *found, require_email_verification=must_verify)
            _link(session, found[0].id, provider.id, subject)
        elif site.registration_mode == "RequireInvitation":
            raise AgoraError(Code.missing_invite_token)  # a provider's login carries no invitation
        else:
            return await _sign_up(session, here, provider, subject, email, form, ip=ip, user_agent=user_agent)
    else:
        await logins.check_account(session, *found, require_email_verification=must_verify)
    local_user, person = found
    jwt = await logins.issue_token(session, here, local_user.id, ip=ip, user_agent=user_agent)
    return Registered(
        jwt=jwt, registration_created=False, verify_email_sent=False, person_id=person.id, local_user_id=local_user.id
    )


async def _sign_up(
    session: AsyncSession,
    here: LocalInstance,
    provider: OAuthProvider,
    subject: str,
    email: str,
    form: OAuthSignIn,
    *,
    ip: str | None,
    user_agent: str | None,
) -> Registered:
    """A new account for a first sign-in: no password (only the provider signs it in), the provider's email,
    verified if the provider is trusted to have verified it."""
    site = await local_site(session, here)
    first_admin = not site.site_setup
    application = accounts.application_answer(site, form.answer)
    if not form.username:
        raise AgoraError(Code.registration_username_required)
    person, user = await accounts.create_local_account(
        session,
        here,
        name=form.username,
        password_hash="",  # no argon2 hash matches the empty string: password logins fail
        email=email,
        admin=first_admin,
        accepted=application is None,
        show_nsfw=bool(form.show_nsfw),
        email_verified=provider.auto_verify_email,
    )
    _link(session, user.id, provider.id, subject)
    # Email delivery is not wired yet: an address the provider is not trusted with waits for an admin.
    verify_email_sent = bool(site.require_email_verification) and not provider.auto_verify_email and not first_admin
    account = (person, user)
    return await accounts.welcome(
        session, here, account, application, form.accept_language, verify_email_sent, ip, user_agent
    )
