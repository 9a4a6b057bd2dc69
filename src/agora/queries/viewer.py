"""Who is asking: a login token resolved to the member and the settings that shape what they see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import LocalUser, LocalUserLanguage, LoginToken, Person
from agora.domain.instance import LocalInstance
from agora.domain.logins import decode_token, token_hash


@dataclass(slots=True)
class Viewer:
    local_user_id: int
    person_id: int
    name: str
    admin: bool
    show_nsfw: bool
    show_bot_accounts: bool
    show_read_posts: bool
    default_sort_type: str
    default_listing_type: str
    token: str
    language_ids: list[int] = field(default_factory=list)


async def resolve(session: AsyncSession, here: LocalInstance, token: str | None) -> Viewer | None:
    """The member behind a token, or None when it is absent, forged, revoked, or the account may not act.

    Lemmy treats an unusable token as no token on public routes; login-required routes then refuse with
    incorrect_login.
    """
    if not token:
        return None
    local_user_id = decode_token(token, here)
    if local_user_id is None:
        return None
    query = (
        select(LocalUser, Person)
        .join(Person, Person.id == LocalUser.person_id)
        .join(LoginToken, LoginToken.user_id == LocalUser.id)
        .where(LocalUser.id == local_user_id, LoginToken.token_hash == token_hash(token))
    )
    row = (await session.execute(query)).first()
    if row is None:
        return None
    user, person = row
    if person.deleted:
        return None
    if person.banned and (person.ban_expires is None or person.ban_expires > datetime.now(UTC)):
        return None
    languages = list(
        (
            await session.execute(
                select(LocalUserLanguage.language_id).where(LocalUserLanguage.local_user_id == user.id)
            )
        ).scalars()
    )
    return Viewer(
        local_user_id=user.id,
        person_id=person.id,
        name=person.name,
        admin=user.admin,
        show_nsfw=user.show_nsfw,
        show_bot_accounts=user.show_bot_accounts,
        show_read_posts=user.show_read_posts,
        default_sort_type=user.default_sort_type,
        default_listing_type=user.default_listing_type,
        token=token,
        language_ids=languages,
    )
