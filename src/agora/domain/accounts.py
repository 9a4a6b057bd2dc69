"""Accounts: register, change password, delete; the person row every local account owns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import (
    Comment,
    Language,
    LocalSite,
    LocalUser,
    LocalUserLanguage,
    Person,
    Post,
    SiteLanguage,
)
from agora.domain import (
    applications,
    captchas,
    comments,
    communities,
    counters,
    invitations,
    limits,
    logins,
    passwords,
    posts,
)
from agora.domain.events import PersonDeleted, PersonRegistered, record
from agora.domain.permissions import LocalActing, get_local_user, get_person
from agora.domain.site import local_site
from agora.errors import AgoraError, Code


@dataclass(slots=True)
class Registration:
    username: str
    password: str
    password_verify: str
    email: str | None = None
    show_nsfw: bool | None = None
    answer: str | None = None
    honeypot: str | None = None
    accept_language: str | None = None  # the request's Accept-Language header
    invite_token: str | None = None  # what RequireInvitation asks (domain.invitations)


@dataclass(slots=True)
class Registered:
    jwt: str | None
    registration_created: bool
    verify_email_sent: bool
    person_id: int
    local_user_id: int


async def name_taken(session: AsyncSession, here: LocalInstance, name: str) -> bool:
    query = select(exists().where(Person.instance_id == here.instance_id, func.lower(Person.name) == name.lower()))
    return bool((await session.execute(query)).scalar())


async def email_taken(session: AsyncSession, email: str) -> bool:
    query = select(exists().where(LocalUser.email.is_not(None), func.lower(LocalUser.email) == email.lower()))
    return bool((await session.execute(query)).scalar())


async def create_local_account(
    session: AsyncSession,
    here: LocalInstance,
    *,
    name: str,
    password_hash: str,
    email: str | None,
    admin: bool,
    accepted: bool,
    show_nsfw: bool = False,
    email_verified: bool = False,
) -> tuple[Person, LocalUser]:
    """`password_hash` from `hash_new_password`, made before the transaction began."""
    site = await local_site(session, here)
    limits.check_actor_name(name, site.actor_name_max_length)
    email = limits.check_email(email)
    if await name_taken(session, here, name):
        raise AgoraError(Code.user_already_exists)
    if email and await email_taken(session, email):
        raise AgoraError(Code.email_already_exists)
    person = Person(
        name=name,
        actor_id=here.url("person", name),
        local=True,
        instance_id=here.instance_id,
        inbox_url=f"{here.url('person', name)}/inbox",
        shared_inbox_url=f"{here.base_url}/inbox",
    )
    session.add(person)
    await session.flush()
    user = LocalUser(
        person_id=person.id,
        password_encrypted=password_hash,
        email=email,
        admin=admin,
        accepted_application=accepted or admin,
        show_nsfw=show_nsfw,
        email_verified=email_verified,
        default_sort_type=site.default_sort_type,
        default_listing_type=site.default_post_listing_type,
    )
    session.add(user)
    await session.flush()
    if user.accepted_application:
        await counters.bump(session, LocalSite, here.local_site_id, users=1)
    await record(session, PersonRegistered(actor_id=person.id, person_id=person.id))
    return person, user


async def hash_new_password(password: str, password_verify: str) -> str:
    """Check a new password (Lemmy's refusals) and hash it. No database: a caller hashes before its write
    transaction begins, which the hash (~0.1 s with the default argon2 settings) would otherwise hold, and on
    SQLite every other writer of the instance with it."""
    limits.check_password(password)
    if password != password_verify:
        raise AgoraError(Code.passwords_do_not_match)
    return await passwords.hash_password(password)


def check_registration_open(registration_mode: str, form: Registration) -> None:
    """The refusals that come before any other (Lemmy's order): closed registration, a filled honeypot."""
    if registration_mode == "Closed":
        raise AgoraError(Code.registration_closed)
    if form.honeypot:
        raise AgoraError(Code.honeypot_failed)


async def register(
    session: AsyncSession,
    here: LocalInstance,
    form: Registration,
    *,
    password_hash: str,
    ip: str | None,
    user_agent: str | None,
) -> Registered:
    """Lemmy's registration, refusals in Lemmy's order; a token only when the account may log in at once.
    `password_hash`: `hash_new_password` of the form's password, made before the transaction began."""
    site = await local_site(session, here)
    check_registration_open(site.registration_mode, form)
    limits.check_password(form.password)
    if form.password != form.password_verify:
        raise AgoraError(Code.passwords_do_not_match)
    if site.require_email_verification and not (form.email and form.email.strip()):
        raise AgoraError(Code.email_required)
    # Until the site is set up (by `agora admin create` or a first POST /site), whoever registers is the admin who
    # sets it up, as in Lemmy: no application, no waiting for an email, logged in at once.
    first_admin = not site.site_setup
    if site.registration_mode == "RequireInvitation" and not first_admin:
        await invitations.use(session, form.invite_token)
    application = application_answer(site, form.answer)
    person, user = await create_local_account(
        session,
        here,
        name=form.username,
        password_hash=password_hash,
        email=form.email,
        admin=first_admin,
        accepted=application is None,
        show_nsfw=bool(form.show_nsfw),
    )
    # Email delivery is not wired yet, so an account that needs verification is told so and waits for an admin.
    verify_email_sent = bool(site.require_email_verification) and not first_admin
    return await welcome(
        session, here, (person, user), application, form.accept_language, verify_email_sent, ip, user_agent
    )


def application_answer(site: LocalSite, answer: str | None) -> str | None:
    """The registration application's answer where the site asks one of a newcomer, else None. Until the site is
    set up, whoever registers is the admin who sets it up, and is asked nothing."""
    if site.registration_mode != "RequireApplication" or not site.site_setup:
        return None
    answer = (answer or "").strip()
    if not answer:
        raise AgoraError(Code.registration_application_answer_required)
    limits.check_body(answer, limits.MARKDOWN_MAX)
    return answer


async def welcome(
    session: AsyncSession,
    here: LocalInstance,
    account: tuple[Person, LocalUser],
    application: str | None,
    accept_language: str | None,
    verify_email_sent: bool,
    ip: str | None,
    user_agent: str | None,
) -> Registered:
    """What follows a new account's rows however it signed up: its languages, its registration application (the
    answer, where the site asks one), and a session unless an application or an email must wait."""
    person, user = account
    await start_languages(session, here, user, accepted_languages(accept_language))
    if application is not None:
        await applications.create(session, user.id, application)
    jwt = None
    if application is None and not verify_email_sent:
        jwt = await logins.issue_token(session, here, user.id, ip=ip, user_agent=user_agent)
    return Registered(
        jwt=jwt,
        registration_created=application is not None,
        verify_email_sent=verify_email_sent,
        person_id=person.id,
        local_user_id=user.id,
    )


async def sign_up(
    session: AsyncSession,
    here: LocalInstance,
    form: Registration,
    *,
    registration_mode: str,
    captcha: tuple[str | None, str | None],
    ip: str | None,
    user_agent: str | None,
) -> Registered:
    """A registration from an API, whatever its version: the early refusals (`registration_mode` as the caller
    last read it, so a closed site costs no hash), the password hashed before the first statement begins the
    write transaction (see `hash_new_password`), the captcha (its uuid and answer) where the site asks one, then
    `register`. The first admin, who sets the site up, is not asked for a captcha (Lemmy's order)."""
    check_registration_open(registration_mode, form)
    password_hash = await hash_new_password(form.password, form.password_verify)
    site = await local_site(session, here)
    if site.captcha_enabled and site.site_setup:
        await captchas.check(session, *captcha)
    return await register(session, here, form, password_hash=password_hash, ip=ip, user_agent=user_agent)


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,8}$")


def accepted_languages(header: str | None) -> list[str]:
    """The languages of an Accept-Language header, most wanted first, each as its primary subtag, lower case
    ("fr-CH, en;q=0.8, *;q=0.5" → ["fr", "en"]). The wildcard, refusals (q=0) and what is not a tag are left out."""
    weighted: list[tuple[float, str]] = []
    for part in (header or "")[:1000].split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().split("-", 1)[0].lower()
        quality = 1.0
        key, _, value = params.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                continue
        if _LANGUAGE_TAG.match(primary) and quality > 0 and primary not in (t for _, t in weighted):
            weighted.append((quality, primary))
    return [tag for _, tag in sorted(weighted, key=lambda item: -item[0])]  # stable: ties keep the header's order


async def start_languages(session: AsyncSession, here: LocalInstance, user: LocalUser, tags: list[str]) -> None:
    """A new account's languages, as Lemmy sets them: the interface in the browser's first language; and when the
    site is limited to some languages, discussion in those, the browser's own and "undetermined" (id 0) — else
    every language (no rows), so a browser set to French alone does not hide the rest of the site."""
    if tags:
        user.interface_language = tags[0]
    site_languages = set(
        (await session.execute(select(SiteLanguage.language_id).where(SiteLanguage.site_id == here.site_id))).scalars()
    )
    every = (await session.execute(select(func.count()).select_from(Language))).scalar_one()
    if not site_languages or len(site_languages) >= every:
        return
    wanted = set((await session.execute(select(Language.id).where(Language.code.in_(tags)))).scalars())
    for language_id in sorted(site_languages | wanted | {0}):
        session.add(LocalUserLanguage(local_user_id=user.id, language_id=language_id))
    await session.flush()


async def change_password(
    session: AsyncSession,
    here: LocalInstance,
    actor: LocalActing,
    *,
    old_password: str,
    new_password: str,
    new_password_verify: str,
    ip: str | None,
    user_agent: str | None,
) -> str:
    """Every other session ends; the caller gets a fresh token."""
    user = await get_local_user(session, actor.local_user_id)
    if not await passwords.verify_password(user.password_encrypted, old_password):
        raise AgoraError(Code.incorrect_login)
    limits.check_password(new_password)
    if new_password != new_password_verify:
        raise AgoraError(Code.passwords_do_not_match)
    user.password_encrypted = await passwords.hash_password(new_password)
    await logins.revoke_all(session, user.id)
    return await logins.issue_token(session, here, user.id, ip=ip, user_agent=user_agent)


async def delete_account(
    session: AsyncSession, here: LocalInstance, actor: LocalActing, *, password: str, delete_content: bool
) -> None:
    """The person stays (its name is never reused, its ap_id stays valid) but is wiped and marked deleted."""
    user = await get_local_user(session, actor.local_user_id)
    if not await passwords.verify_password(user.password_encrypted, password):
        raise AgoraError(Code.incorrect_login)
    person = await get_person(session, actor.person_id)
    if delete_content:
        post_ids = (
            (await session.execute(select(Post.id).where(Post.creator_id == person.id, Post.deleted.is_(False))))
            .scalars()
            .all()
        )
        for post_id in post_ids:
            await posts.set_deleted(session, here, actor, post_id, True)
        comment_ids = (
            (
                await session.execute(
                    select(Comment.id).where(Comment.creator_id == person.id, Comment.deleted.is_(False))
                )
            )
            .scalars()
            .all()
        )
        for comment_id in comment_ids:
            await comments.set_deleted(session, here, actor, comment_id, True)
    await session.execute(
        update(Person)
        .where(Person.id == person.id)
        .values(deleted=True, display_name=None, avatar=None, banner=None, bio=None, matrix_user_id=None)
    )
    await communities.remove_follows_of(session, person.id)
    # Counted by what the DELETE found: a second request deleting the same account at once changes nothing.
    account = delete(LocalUser).where(LocalUser.id == user.id).returning(LocalUser.accepted_application)
    if (await session.execute(account)).scalar_one_or_none():
        counters.bump_site_at_commit(session, here, users=-1)
    await record(session, PersonDeleted(actor_id=person.id, person_id=person.id, delete_content=delete_content))
