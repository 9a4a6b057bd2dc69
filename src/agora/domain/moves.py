"""Account moves, as Mastodon moves accounts: the new account lists the old one among its aliases (ActivityPub
`alsoKnownAs`), then the old account moves (`movedTo`), after which it writes nothing more.

Who checks what: `move` is our member leaving, with their password, to an account that lists them; `arrive` is a
`Move` received from the old account's server, checked against the new account's aliases as its own server
serves them (federation fetched it afresh), never against the Move's body. What is the member's (follows, saves,
blocks) comes along when the new account is ours, applied as a settings backup is (`settings_backups.restore`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import LocalUser, Person
from agora.domain import passwords, settings_backups
from agora.domain.events import PersonMoved, PersonUpdated, record
from agora.domain.permissions import LocalActing, get_local_user, get_person
from agora.errors import AgoraError, Code

ALIASES_MAX = 10
URL_MAX = 2000
LIST_MAX = 500  # items of each list a move carries (a Move must stay within a peer's inbox cap)
# What a move carries to the new account: the lists of a settings backup, the member's own choices.
CARRIED = settings_backups.LISTS


@dataclass(frozen=True, slots=True)
class MovedMember:
    """The new account, acting as the member it belongs to when what they carried is applied."""

    person_id: int
    local_user_id: int
    admin: bool


def aliases_of(text: str | None) -> list[str]:
    """The stored aliases (one ActivityPub id a line)."""
    return [line for line in (text or "").splitlines() if line]


def check_aliases(aliases: list[str], own: str) -> list[str]:
    """The aliases to keep: http(s) URLs of actors, not one's own, each once, at most ALIASES_MAX."""
    kept: list[str] = []
    for alias in aliases:
        alias = alias.strip()
        parts = urlsplit(alias)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(alias) > URL_MAX:
            raise AgoraError(Code.invalid_alias, f"{alias[:100]!r} is not the URL of an account")
        if alias == own:
            raise AgoraError(Code.invalid_alias, "an account is not an alias of itself")
        if alias not in kept:
            kept.append(alias)
    if len(kept) > ALIASES_MAX:
        raise AgoraError(Code.invalid_alias, f"at most {ALIASES_MAX} aliases")
    return kept


async def set_aliases(session: AsyncSession, actor: LocalActing, aliases: list[str]) -> list[str]:
    """Replace the member's aliases; the new profile goes out as a person Update, so other servers see them."""
    person = await get_person(session, actor.person_id, lock=True)
    if person.deleted:
        raise AgoraError(Code.deleted)
    kept = check_aliases(aliases, person.actor_id)
    person.also_known_as = "\n".join(kept) or None
    person.updated = now()
    await record(session, PersonUpdated(actor_id=person.id, person_id=person.id))
    return kept


def _check_target(person: Person, target: Person) -> None:
    if target.id == person.id:
        raise AgoraError(Code.invalid_move_target, "an account cannot move to itself")
    if target.deleted or target.moved_to:
        raise AgoraError(Code.invalid_move_target, f"{target.actor_id} is deleted or has moved itself")
    if person.actor_id not in aliases_of(target.also_known_as):
        raise AgoraError(
            Code.move_target_not_aliased, f"{target.actor_id} does not list {person.actor_id} among its aliases"
        )


async def move(
    session: AsyncSession,
    here: LocalInstance,
    actor: LocalActing,
    *,
    password: str,
    target_id: int,
    carried: dict[str, list[str]],
) -> Person:
    """Our member moves to `target_id`, whose aliases (as last fetched) must list them. `carried`: their follows,
    saves and blocks (a settings backup's lists), applied here when the new account is ours too, else sent to its
    server with the Move."""
    user = await get_local_user(session, actor.local_user_id)
    if not await passwords.verify_password(user.password_encrypted, password):
        raise AgoraError(Code.incorrect_login)
    person = await get_person(session, actor.person_id, lock=True)
    if person.moved_to:
        raise AgoraError(Code.account_moved, f"this account has already moved to {person.moved_to}")
    if person.deleted:
        raise AgoraError(Code.deleted)
    target = await get_person(session, target_id)
    _check_target(person, target)
    lists = {name: list(carried.get(name) or [])[:LIST_MAX] for name in CARRIED}
    person.moved_to, person.moved_at = target.actor_id, now()
    if target.local:
        await _take_over(session, here, target, lists)
    await record(session, PersonMoved(actor_id=person.id, person_id=person.id, target_id=target.id, carried=lists))
    return person


async def arrive(
    session: AsyncSession,
    here: LocalInstance,
    old_id: int,
    target_id: int,
    carried: dict[str, list[str]] | None,
) -> None:
    """A remote account moved to `target_id` (a `Move` its server signed): it is marked moved when the target
    lists it; when the target is our member, what they `carried` is theirs now. Applying it again changes nothing."""
    person = await get_person(session, old_id, lock=True)
    if person.local:
        raise AgoraError(Code.invalid_activity, "our own members move from here, not by a Move we receive")
    target = await get_person(session, target_id)
    if person.moved_to == target.actor_id and not carried:
        return
    _check_target(person, target)
    person.moved_to, person.moved_at = target.actor_id, person.moved_at or now()
    if target.local and carried:
        await _take_over(session, here, target, carried)


async def _take_over(session: AsyncSession, here: LocalInstance, target: Person, carried: dict[str, list[str]]) -> None:
    """The member's follows, saves and blocks, applied to their new account here (what is unknown is skipped)."""
    found = await session.execute(select(LocalUser.id, LocalUser.admin).where(LocalUser.person_id == target.id))
    account = found.first()
    if account is None:
        return  # a local person without an account (deleted since): nothing to carry to
    member = MovedMember(person_id=target.id, local_user_id=account.id, admin=account.admin)
    lists = {name: carried[name][:LIST_MAX] for name in CARRIED if isinstance(carried.get(name), list)}
    await settings_backups.restore(session, here, member, lists)
