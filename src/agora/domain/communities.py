"""Communities: create, edit, delete/restore, follow, moderators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert, viewer_versions
from agora.db.models import (
    Community,
    CommunityFollower,
    CommunityLanguage,
    CommunityModerator,
    Language,
    LocalSite,
)
from agora.db.moderators import is_moderator
from agora.domain import counters, limits, modlog, pending_follows, released_images
from agora.domain.events import (
    CommunityCreated,
    CommunityDeleted,
    CommunityFollowed,
    CommunityUpdated,
    ModeratorChanged,
    record,
)
from agora.domain.permissions import (
    Acting,
    get_community,
    get_person,
    is_mod_or_admin,
    require_mod_or_admin,
    require_not_banned_from_community,
    require_person_active,
    require_top_mod_or_admin,
)
from agora.domain.site import local_site
from agora.errors import AgoraError, Code

VISIBILITIES = frozenset({"Public", "LocalOnly", "Private"})


@dataclass(slots=True)
class CommunityForm:
    name: str
    title: str
    description: str | None = None
    icon: str | None = None
    banner: str | None = None
    nsfw: bool | None = None
    posting_restricted_to_mods: bool | None = None
    discussion_languages: list[int] | None = None
    visibility: str | None = None


async def create(session: AsyncSession, here: LocalInstance, actor: Acting, form: CommunityForm) -> Community:
    site = await local_site(session, here)
    if site.community_creation_admin_only and not actor.admin:
        raise AgoraError(Code.only_admins_can_create_communities)
    person = await get_person(session, actor.person_id)
    require_person_active(person)
    name = limits.check_community_name(form.name, site.actor_name_max_length)
    title = limits.check_community_title(form.title)
    description = limits.check_body(form.description or None, limits.MARKDOWN_MAX)
    visibility = _check_visibility(form.visibility)
    taken = select(
        exists().where(Community.instance_id == here.instance_id, func.lower(Community.name) == name.lower())
    )
    if (await session.execute(taken)).scalar():
        raise AgoraError(Code.community_already_exists)
    url = here.url("community", name)
    community = Community(
        name=name,
        title=title,
        description=description,
        icon=limits.check_image_url(form.icon),
        banner=limits.check_image_url(form.banner),
        nsfw=bool(form.nsfw) and site.enable_nsfw,
        posting_restricted_to_mods=bool(form.posting_restricted_to_mods),
        visibility=visibility,
        actor_id=url,
        local=True,
        instance_id=here.instance_id,
        inbox_url=f"{url}/inbox",
        shared_inbox_url=f"{here.base_url}/inbox",
        followers_url=f"{url}/followers",
        moderators_url=f"{url}/moderators",
        featured_url=f"{url}/featured",
    )
    session.add(community)
    await session.flush()
    session.add(CommunityModerator(community_id=community.id, person_id=person.id, rank=0))
    session.add(CommunityFollower(community_id=community.id, person_id=person.id, pending=False))
    await session.flush()
    await counters.bump(session, Community, community.id, subscribers=1, subscribers_local=1)
    await counters.bump(session, LocalSite, here.local_site_id, communities=1)
    if form.discussion_languages is not None:
        await set_languages(session, community.id, form.discussion_languages)
    await record(session, CommunityCreated(actor_id=person.id, community_id=community.id))
    await session.refresh(community)
    return community


def _check_visibility(value: str | None) -> str:
    if value is None:
        return "Public"
    if value not in VISIBILITIES:
        raise AgoraError(Code.invalid_query, "visibility must be Public, LocalOnly or Private")
    return value


async def edit(session: AsyncSession, actor: Acting, community_id: int, changes: dict[str, Any]) -> Community:
    """Moderators and admins edit a community; absent fields are unchanged, "" clears optional text. Our copy of
    a remote community changes too, and federation sends the edit to its home, whose moderators decide there
    (Lemmy does the same)."""
    community = await get_community(session, community_id)
    if not await is_mod_or_admin(session, actor, community_id):
        raise AgoraError(Code.not_a_moderator)
    if changes.get("title") is not None:
        community.title = limits.check_community_title(changes["title"])
    if changes.get("description") is not None:
        community.description = limits.check_body(changes["description"].strip() or None, limits.MARKDOWN_MAX)
    for field in ("icon", "banner"):
        if changes.get(field) is not None:
            image = limits.check_image_url(changes[field].strip() or None)
            released_images.note_replaced(session, actor, getattr(community, field), image)
            setattr(community, field, image)
    if changes.get("nsfw") is not None:
        community.nsfw = bool(changes["nsfw"])
    if changes.get("posting_restricted_to_mods") is not None:
        community.posting_restricted_to_mods = bool(changes["posting_restricted_to_mods"])
    if changes.get("visibility") is not None:
        was_private = community.visibility == "Private"
        community.visibility = _check_visibility(changes["visibility"])
        if was_private and community.visibility != "Private" and community.local:
            await pending_follows.accept_all(session, actor, community.id)
    if changes.get("discussion_languages") is not None:
        await set_languages(session, community.id, list(changes["discussion_languages"]))
    community.updated = now()
    await session.flush()
    await record(session, CommunityUpdated(actor_id=actor.person_id, community_id=community.id))
    return community


async def set_deleted(
    session: AsyncSession, here: LocalInstance, actor: Acting, community_id: int, deleted: bool
) -> Community:
    community = await get_community(session, community_id, lock=True)  # two toggles at once count once
    await require_top_mod_or_admin(session, actor, community_id)
    if community.deleted != deleted:
        community.deleted = deleted
        community.updated = now()
        if community.local and not community.removed:
            await counters.bump(session, LocalSite, here.local_site_id, communities=-1 if deleted else 1)
        await session.flush()
        await record(session, CommunityDeleted(actor_id=actor.person_id, community_id=community.id, deleted=deleted))
    return community


async def follow(
    session: AsyncSession, actor: Acting, community_id: int, follow: bool, *, even_if_closed: bool = False
) -> str:
    """Subscribe or unsubscribe; answers the resulting SubscribedType. Remote follows wait for an Accept; asking
    again sends the Follow again (one refused or never answered is not stuck as Pending). `even_if_closed`: a
    remote person's Follow of a deleted or removed community of ours is taken (Lemmy takes it), so their server
    hears of its restoration.

    The counts change by what the statement did to the follow row (inserted, or deleted with the state it had),
    so requests racing each other count once."""
    community = await get_community(session, community_id)
    whose = viewer_versions.of_person(actor.person_id)
    if follow:
        person = await get_person(session, actor.person_id)
        require_person_active(person)
        if (community.deleted or community.removed) and not even_if_closed:
            raise AgoraError(Code.deleted)
        if community.local:  # a remote community's home decides (Lemmy asks it): our copy of its ban may be stale
            await require_not_banned_from_community(session, actor.person_id, community_id)
        # A remote community's home answers; a Private community of ours waits for a moderator's approval.
        pending = not community.local or (
            community.visibility == "Private" and not await is_moderator(session, actor.person_id, community_id)
        )
        statement = upsert.insert(session, CommunityFollower).values(
            community_id=community_id,
            person_id=actor.person_id,
            pending=pending,
            remote=not person.local,
            published=now(),
        )
        added = statement.on_conflict_do_nothing(index_elements=["person_id", "community_id"])
        if (await session.execute(added.returning(CommunityFollower.id), execution_options=whose)).first() is None:
            if not community.local:  # followed already: the Follow goes again
                await record(session, CommunityFollowed(actor.person_id, community_id, actor.person_id, True))
            return "Pending" if await _follow_pending(session, community_id, actor.person_id) else "Subscribed"
        if not pending:  # subscribers_local counts our own members only; a remote follower is in subscribers
            await counters.bump(session, Community, community_id, subscribers=1, subscribers_local=int(person.local))
        await record(session, CommunityFollowed(actor.person_id, community_id, actor.person_id, True))
        return "Pending" if pending else "Subscribed"
    where = (CommunityFollower.community_id == community_id, CommunityFollower.person_id == actor.person_id)
    if await _remove(session, where, whose, at_commit=False):
        await record(session, CommunityFollowed(actor.person_id, community_id, actor.person_id, False))
    return "NotSubscribed"


async def is_following(session: AsyncSession, person_id: int, community_id: int) -> bool:
    """Whether the person follows the community (or asked to and waits)."""
    follows = CommunityFollower.person_id == person_id, CommunityFollower.community_id == community_id
    return bool((await session.execute(select(exists().where(*follows)))).scalar())


async def _follow_pending(session: AsyncSession, community_id: int, person_id: int) -> bool:
    """Whether the person's follow of the community waits for an Accept."""
    query = select(CommunityFollower.pending).where(
        CommunityFollower.community_id == community_id, CommunityFollower.person_id == person_id
    )
    return bool((await session.execute(query)).scalar_one_or_none())


async def remove_follows(session: AsyncSession, *where: ColumnElement[bool], person_id: int | None = None) -> None:
    """Delete the follows matching `where` (a ban, a purge, a deleted account) and take them out of their
    communities' counts, at commit: the caller goes on to lock content, which comes first in the lock order.
    `person_id`: whose follows they all are, when one person's."""
    whose = viewer_versions.of_person(person_id) if person_id is not None else {}
    await _remove(session, where, whose, at_commit=True)


async def remove_follows_of(session: AsyncSession, person_id: int) -> None:
    """`remove_follows` of every follow the person has (their account goes or is purged)."""
    await remove_follows(session, CommunityFollower.person_id == person_id, person_id=person_id)


async def _remove(
    session: AsyncSession, where: tuple[ColumnElement[bool], ...], whose: dict[str, Any], *, at_commit: bool
) -> int:
    """Delete follows and count the ones deleted (as the DELETE found them); answers how many went."""
    statement = (
        delete(CommunityFollower)
        .where(*where)
        .returning(CommunityFollower.community_id, CommunityFollower.pending, CommunityFollower.remote)
    )
    gone = (await session.execute(statement, execution_options=whose)).all()
    accepted = [row for row in gone if not row.pending]
    if accepted:
        ids = sorted({row.community_id for row in accepted})
        local = dict((await session.execute(select(Community.id, Community.local).where(Community.id.in_(ids)))).all())
        for row in sorted(accepted, key=lambda r: r.community_id):
            # A remote community's subscribers is its home server's figure; subscribers_local is ours alone.
            deltas = {"subscribers": -int(local[row.community_id]), "subscribers_local": -int(not row.remote)}
            if at_commit:
                counters.bump_at_commit(session, Community, row.community_id, **deltas)
            else:
                await counters.bump(session, Community, row.community_id, **deltas)
    return len(gone)


async def accept_follow(session: AsyncSession, community_id: int, person_id: int) -> None:
    """A remote community accepted a local member's Follow (counted once, however often it says so)."""
    statement = (
        update(CommunityFollower)
        .where(
            CommunityFollower.community_id == community_id,
            CommunityFollower.person_id == person_id,
            CommunityFollower.pending.is_(True),
        )
        .values(pending=False)
        .returning(CommunityFollower.id)
    )
    if (await session.execute(statement, execution_options=viewer_versions.of_person(person_id))).first() is not None:
        await counters.bump(session, Community, community_id, subscribers_local=1)


async def drop_refused_follow(session: AsyncSession, community_id: int, person_id: int) -> None:
    """A remote community refused a local member's Follow: it is forgotten (nothing to tell the community)."""
    where = (CommunityFollower.community_id == community_id, CommunityFollower.person_id == person_id)
    await _remove(session, where, viewer_versions.of_person(person_id), at_commit=False)


async def moderator_ids(session: AsyncSession, community_id: int) -> list[int]:
    query = (
        select(CommunityModerator.person_id)
        .where(CommunityModerator.community_id == community_id)
        .order_by(CommunityModerator.rank, CommunityModerator.id)
    )
    return list((await session.execute(query)).scalars())


async def set_moderator(session: AsyncSession, actor: Acting, community_id: int, person_id: int, added: bool) -> None:
    """Moderators add or remove moderators; a new one goes to the end of the list."""
    await get_community(session, community_id)
    await require_mod_or_admin(session, actor, community_id)
    person = await get_person(session, person_id)
    if added:
        require_person_active(person)
        if await is_moderator(session, person_id, community_id):
            raise AgoraError(Code.community_moderator_already_exists)
        next_rank = (
            await session.execute(
                select(func.coalesce(func.max(CommunityModerator.rank), -1)).where(
                    CommunityModerator.community_id == community_id
                )
            )
        ).scalar_one() + 1
        session.add(CommunityModerator(community_id=community_id, person_id=person_id, rank=next_rank))
    else:
        await session.execute(
            delete(CommunityModerator).where(
                CommunityModerator.community_id == community_id, CommunityModerator.person_id == person_id
            )
        )
    await session.flush()
    await modlog.write(
        session,
        modlog.Kind.add_community,
        actor.person_id,
        flag=not added,
        other_person_id=person_id,
        community_id=community_id,
    )
    await record(session, ModeratorChanged(actor.person_id, community_id, person_id, added))


async def transfer(session: AsyncSession, actor: Acting, community_id: int, person_id: int) -> None:
    """Make `person_id` the top moderator (they must already moderate); the others keep their order."""
    await get_community(session, community_id)
    await require_top_mod_or_admin(session, actor, community_id)
    ids = await moderator_ids(session, community_id)
    if person_id not in ids:
        await get_person(session, person_id)
        raise AgoraError(Code.not_a_moderator)
    order = [person_id] + [pid for pid in ids if pid != person_id]
    rows = (
        await session.execute(select(CommunityModerator).where(CommunityModerator.community_id == community_id))
    ).scalars()
    rank_of = {pid: rank for rank, pid in enumerate(order)}
    for row in rows:
        row.rank = rank_of[row.person_id]
    await session.flush()
    await modlog.write(
        session, modlog.Kind.transfer_community, actor.person_id, other_person_id=person_id, community_id=community_id
    )


async def set_languages(session: AsyncSession, community_id: int, language_ids: list[int]) -> None:
    ids = sorted(set(limits.check_many_ids(language_ids)))
    if ids:
        known = set((await session.execute(select(Language.id).where(Language.id.in_(ids)))).scalars())
        if len(known) != len(ids):
            raise AgoraError(Code.language_not_allowed)
    await session.execute(delete(CommunityLanguage).where(CommunityLanguage.community_id == community_id))
    for language_id in ids:
        session.add(CommunityLanguage(community_id=community_id, language_id=language_id))
    await session.flush()


async def check_language(session: AsyncSession, community_id: int, language_id: int | None) -> int:
    """The language a post or comment gets: the one asked for if the community allows it, else undetermined."""
    if language_id is None:
        return 0
    if language_id == 0:
        return 0
    if (await session.get(Language, language_id)) is None:
        raise AgoraError(Code.language_not_allowed)
    allowed = set(
        (
            await session.execute(
                select(CommunityLanguage.language_id).where(CommunityLanguage.community_id == community_id)
            )
        ).scalars()
    )
    if allowed and language_id not in allowed:
        raise AgoraError(Code.language_not_allowed)
    return language_id


async def local_by_name(session: AsyncSession, here: LocalInstance, name: str) -> Community | None:
    query = select(Community).where(
        Community.instance_id == here.instance_id, func.lower(Community.name) == name.lower()
    )
    return (await session.execute(query)).scalar_one_or_none()
