"""Other servers' people, communities and instances, as federation reports them.

Our copy of a remote actor is refreshed whenever its document is fetched again; what it says is bounded here with
the same limits as local input (names, lengths, image URLs), and loosened where a peer legitimately differs (a
display name with an @, a longer bio), so one odd profile never stops the content that depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert, viewer_versions
from agora.db.models import (
    Community,
    CommunityModerator,
    Instance,
    Language,
    Person,
    Post,
    Site,
)
from agora.domain import bans, communities, limits
from agora.domain.events import PersonDeleted, record
from agora.domain.permissions import get_person
from agora.errors import AgoraError, Code

Actor = TypeVar("Actor", Person, Community)


@dataclass(slots=True)
class ActorFields:
    """What every remote actor has: its id, its home's domain, where to deliver, and how to check its signatures."""

    ap_id: str
    domain: str
    name: str
    inbox: str
    shared_inbox: str | None
    public_key: str
    published: datetime | None = None
    updated: datetime | None = None


def _image(url: str | None) -> str | None:
    try:
        return limits.check_image_url(url)
    except AgoraError:
        return None


def _text(value: str | None, max_length: int) -> str | None:
    if not value:
        return None
    return value[:max_length]


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 255:
        raise AgoraError(Code.invalid_name, "a remote actor's name must be 1-255 characters")
    return name


async def instance_for(session: AsyncSession, domain: str) -> Instance:
    """The Instance row of `domain` (host[:port], lowercase), created the first time we hear of it."""
    domain = domain.lower()
    statement = upsert.insert(session, Instance).values(domain=domain, published=now())
    await session.execute(statement.on_conflict_do_nothing(index_elements=["domain"]))
    return (await session.execute(select(Instance).where(Instance.domain == domain))).scalar_one()


async def _upsert(session: AsyncSession, model: type[Actor], values: dict[str, Any]) -> Actor:
    """Insert or refresh by actor_id; a local actor is never overwritten by what a peer claims."""
    existing = (await session.execute(select(model).where(model.actor_id == values["actor_id"]))).scalar_one_or_none()
    if existing is not None and existing.local:
        raise AgoraError(Code.object_not_local, "a peer cannot update one of our actors")
    statement = upsert.insert(session, model).values(**values)
    changes = {k: v for k, v in values.items() if k not in ("actor_id", "published")}
    flagged = isinstance(existing, Community) and existing.nsfw != values["nsfw"]
    options = viewer_versions.EVERYONE if flagged else {}  # its followers' NSFW lists (db.viewer_versions)
    await session.execute(statement.on_conflict_do_update(index_elements=["actor_id"], set_=changes), options)
    return (await session.execute(select(model).where(model.actor_id == values["actor_id"]))).scalar_one()


async def upsert_person(
    session: AsyncSession,
    actor: ActorFields,
    *,
    display_name: str | None,
    bio: str | None,
    avatar: str | None,
    banner: str | None,
    bot: bool,
    matrix_user_id: str | None,
) -> Person:
    instance = await instance_for(session, actor.domain)
    display = " ".join((display_name or "").split())[: limits.DISPLAY_NAME_MAX] or None
    return await _upsert(
        session,
        Person,
        {
            "actor_id": actor.ap_id,
            "name": _name(actor.name),
            "display_name": display,
            "bio": _text(bio, limits.MARKDOWN_MAX),
            "avatar": _image(avatar),
            "banner": _image(banner),
            "local": False,
            "instance_id": instance.id,
            "public_key": actor.public_key,
            "inbox_url": actor.inbox,
            "shared_inbox_url": actor.shared_inbox,
            "matrix_user_id": _text(matrix_user_id, 255),
            "bot_account": bot,
            "deleted": False,
            "published": actor.published or now(),
            "updated": actor.updated,
            "last_refreshed_at": now(),
        },
    )


async def upsert_community(
    session: AsyncSession,
    actor: ActorFields,
    *,
    title: str,
    description: str | None,
    icon: str | None,
    banner: str | None,
    nsfw: bool,
    posting_restricted_to_mods: bool,
    followers_url: str | None,
    moderators_url: str | None,
    featured_url: str | None,
    subscribers: int | None = None,
    private: bool = False,
) -> Community:
    """`subscribers`: the count its home server publishes (its followers everywhere), when it says; `private`: it
    approves followers by hand (Lemmy 1.0's Private community), so its content here is for approved followers."""
    instance = await instance_for(session, actor.domain)
    title = " ".join(title.split())[:100] or actor.name
    counted = {"subscribers": max(0, min(subscribers, 2**31 - 1))} if isinstance(subscribers, int) else {}
    return await _upsert(
        session,
        Community,
        {
            **counted,
            "actor_id": actor.ap_id,
            "name": _name(actor.name),
            "title": title,
            "description": _text(description, limits.POST_BODY_MAX),
            "icon": _image(icon),
            "banner": _image(banner),
            "nsfw": nsfw,
            "posting_restricted_to_mods": posting_restricted_to_mods,
            "visibility": "Private" if private else "Public",
            "local": False,
            "instance_id": instance.id,
            "public_key": actor.public_key,
            "inbox_url": actor.inbox,
            "shared_inbox_url": actor.shared_inbox,
            "followers_url": followers_url,
            "moderators_url": moderators_url,
            "featured_url": featured_url,
            "published": actor.published or now(),
            "updated": actor.updated,
            "last_refreshed_at": now(),
        },
    )


async def upsert_instance_actor(session: AsyncSession, actor: ActorFields) -> Site:
    """A remote instance's Application actor: kept as its Site row, for the key it signs fetches and bans with."""
    instance = await instance_for(session, actor.domain)
    existing = (await session.execute(select(Site).where(Site.instance_id == instance.id))).scalar_one_or_none()
    if existing is not None and existing.actor_id != actor.ap_id:
        raise AgoraError(Code.invalid_activity, "an instance has one Application actor")
    values = {
        "name": actor.name[:20] or actor.domain[:20],
        "actor_id": actor.ap_id,
        "inbox_url": actor.inbox,
        "public_key": actor.public_key,
        "instance_id": instance.id,
        "published": actor.published or now(),
        "last_refreshed_at": now(),
    }
    if existing is None:
        session.add(Site(**values))
        await session.flush()
    else:
        await session.execute(update(Site).where(Site.id == existing.id).values(**values))
    return (await session.execute(select(Site).where(Site.instance_id == instance.id))).scalar_one()


async def set_languages(session: AsyncSession, community_id: int, codes: list[str]) -> None:
    """A remote community's discussion languages, by ISO code; codes we do not know are left out."""
    known = (await session.execute(select(Language.id).where(Language.code.in_(codes[:100])))).scalars().all()
    await communities.set_languages(session, community_id, list(known))


async def set_moderators(session: AsyncSession, community_id: int, person_ids: list[int]) -> None:
    """Mirror a remote community's moderator list, in its order (its home server is the authority)."""
    community = await session.get(Community, community_id)
    if community is None or community.local:
        raise AgoraError(Code.object_not_local, "only a remote community's list is mirrored")
    await session.execute(delete(CommunityModerator).where(CommunityModerator.community_id == community_id))
    for rank, person_id in enumerate(dict.fromkeys(person_ids)):
        session.add(CommunityModerator(community_id=community_id, person_id=person_id, rank=rank))
    await session.flush()


async def set_featured(session: AsyncSession, community_id: int, post_ids: list[int]) -> None:
    """Mirror a remote community's featured collection: exactly these of its posts are pinned on its page."""
    community = await session.get(Community, community_id)
    if community is None or community.local:
        raise AgoraError(Code.object_not_local, "only a remote community's featured posts are mirrored")
    ids = post_ids[:100]
    in_community = Post.community_id == community_id
    await session.execute(
        update(Post).where(in_community, Post.featured_community, Post.id.not_in(ids)).values(featured_community=False)
    )
    if ids:
        await session.execute(update(Post).where(in_community, Post.id.in_(ids)).values(featured_community=True))


async def delete_person(session: AsyncSession, here: LocalInstance, person_id: int, *, remove_content: bool) -> None:
    """A remote account was deleted on its server: it stops acting here, and its content goes if it asked so."""
    person = await get_person(session, person_id)
    if person.local:
        raise AgoraError(Code.object_not_local, "a peer cannot delete one of our accounts")
    if person.deleted:
        return
    if remove_content:
        await bans.remove_content(session, here, person.id)
    await communities.remove_follows_of(session, person.id)
    await session.execute(
        update(Person)
        .where(Person.id == person.id)
        .values(deleted=True, display_name=None, avatar=None, banner=None, bio=None, matrix_user_id=None)
    )
    await session.flush()
    await record(session, PersonDeleted(actor_id=person.id, person_id=person.id, delete_content=remove_content))


async def set_software(session: AsyncSession, instance_id: int, software: str | None, version: str | None) -> None:
    """What an instance runs, from its NodeInfo ("" when it would not say, so it is not asked again soon)."""
    await session.execute(
        update(Instance).where(Instance.id == instance_id).values(software=software or "", version=version)
    )
