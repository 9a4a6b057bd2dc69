"""Multi-communities (Lemmy 1.0's feeds): a member's named list of communities that anyone may read as one post
listing and follow. Only the creator edits one or changes its entries; it holds at most `ENTRY_LIMIT` communities.

Following one is a mark of its own: it does not follow the communities listed (their posts are read through the
multi-community's listing).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert
from agora.db.models import MultiCommunity, MultiCommunityEntry, MultiCommunityFollow, Person
from agora.db.rows import get_row
from agora.domain import limits, remote
from agora.domain.events import MultiCommunityChanged, MultiCommunityFollowed, record
from agora.domain.permissions import Acting, LocalActing, get_community, get_person, require_person_active
from agora.domain.site import local_site
from agora.errors import AgoraError, Code

ENTRY_LIMIT = 50  # Lemmy's MULTI_COMMUNITY_ENTRY_LIMIT
TITLE_MAX = 255
SUMMARY_MAX = 255


@dataclass(slots=True)
class MultiForm:
    """The texts of a multi-community; None leaves a field as it is on an edit, "" clears it."""

    title: str | None = None
    summary: str | None = None
    sidebar: str | None = None


async def get(session: AsyncSession, multi_id: int, *, lock: bool = False) -> MultiCommunity:
    return await get_row(
        session, MultiCommunity, multi_id, AgoraError(Code.not_found, "no such multi-community"), lock=lock
    )


def _text(value: str | None, max_length: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > max_length:
        raise AgoraError(Code.invalid_body_field, f"at most {max_length} characters")
    return value or None


async def _apply(session: AsyncSession, here: LocalInstance, multi: MultiCommunity, form: MultiForm) -> None:
    title = _text(form.title, TITLE_MAX)
    summary = _text(form.summary, SUMMARY_MAX)
    sidebar = _text(limits.check_body(form.sidebar, limits.MARKDOWN_MAX), limits.MARKDOWN_MAX)
    if title is not None and "\n" in title:
        raise AgoraError(Code.invalid_body_field, "the title is one line")
    limits.check_slurs((await local_site(session, here)).slur_filter_regex, title, summary, sidebar)
    if form.title is not None:
        multi.title = title
    if form.summary is not None:
        multi.summary = summary
    if form.sidebar is not None:
        multi.sidebar = sidebar


async def create(
    session: AsyncSession, here: LocalInstance, actor: LocalActing, name: str, form: MultiForm
) -> MultiCommunity:
    """A new local multi-community of `actor`'s, which its creator follows (as Lemmy does)."""
    person = await get_person(session, actor.person_id)
    require_person_active(person)
    site = await local_site(session, here)
    name = limits.check_actor_name(name.strip(), site.actor_name_max_length)
    limits.check_slurs(site.slur_filter_regex, name)
    taken = select(MultiCommunity.id).where(
        MultiCommunity.instance_id == here.instance_id, func.lower(MultiCommunity.name) == name.lower()
    )
    if (await session.execute(taken)).first() is not None:
        raise AgoraError(Code.already_exists, "a multi-community of that name exists")
    actor_id = here.url("multi_community", name)
    multi = MultiCommunity(
        creator_id=person.id,
        instance_id=here.instance_id,
        name=name,
        local=True,
        deleted=False,
        actor_id=actor_id,
        following_url=f"{actor_id}/following",
        published=now(),
        last_refreshed_at=now(),
    )
    await _apply(session, here, multi, form)
    session.add(multi)
    await session.flush()
    await follow(session, actor, multi.id, True)
    return multi


async def _own(session: AsyncSession, actor: LocalActing, multi_id: int) -> MultiCommunity:
    """The multi-community, locked, if `actor` created it."""
    multi = await get(session, multi_id, lock=True)
    if multi.creator_id != actor.person_id:
        raise AgoraError(Code.multi_community_update_wrong_user)
    require_person_active(await get_person(session, actor.person_id))
    return multi


async def edit(
    session: AsyncSession, here: LocalInstance, actor: LocalActing, multi_id: int, form: MultiForm, deleted: bool | None
) -> MultiCommunity:
    multi = await _own(session, actor, multi_id)
    await _apply(session, here, multi, form)
    if deleted is not None:
        multi.deleted = deleted
    multi.updated = now()
    await session.flush()
    await record(session, MultiCommunityChanged(actor.person_id, multi.id))
    return multi


async def _count_entries(session: AsyncSession, multi: MultiCommunity) -> int:
    query = select(func.count()).where(MultiCommunityEntry.multi_community_id == multi.id)
    return int((await session.execute(query)).scalar_one())


async def add_entry(session: AsyncSession, actor: LocalActing, multi_id: int, community_id: int) -> None:
    """Lists a community (local or known remote, neither deleted nor removed); listing it twice changes nothing."""
    multi = await _own(session, actor, multi_id)
    community = await get_community(session, community_id)
    if community.deleted or community.removed:
        raise AgoraError(Code.deleted)
    listed = select(MultiCommunityEntry.community_id).where(
        MultiCommunityEntry.multi_community_id == multi.id, MultiCommunityEntry.community_id == community.id
    )
    if (await session.execute(listed)).first() is not None:
        return
    if await _count_entries(session, multi) >= ENTRY_LIMIT:
        raise AgoraError(Code.multi_community_entry_limit_reached)
    session.add(MultiCommunityEntry(multi_community_id=multi.id, community_id=community.id))
    await session.flush()
    multi.communities = await _count_entries(session, multi)
    await record(session, MultiCommunityChanged(actor.person_id, multi.id))


async def remove_entry(session: AsyncSession, actor: LocalActing, multi_id: int, community_id: int) -> None:
    multi = await _own(session, actor, multi_id)
    await get_community(session, community_id)
    await session.execute(
        delete(MultiCommunityEntry).where(
            MultiCommunityEntry.multi_community_id == multi.id, MultiCommunityEntry.community_id == community_id
        )
    )
    multi.communities = await _count_entries(session, multi)
    await session.flush()
    await record(session, MultiCommunityChanged(actor.person_id, multi.id))


async def follow(
    session: AsyncSession, actor: Acting, multi_id: int, following: bool, *, accepted: bool | None = None
) -> None:
    """Follows (or stops following) a multi-community; a deleted one takes no new followers. A member's follow of
    another server's one is Pending until its Accept (`accepted` None: decided by where the follower and the
    multi-community live)."""
    multi = await get(session, multi_id, lock=True)
    if following:
        if multi.deleted:
            raise AgoraError(Code.deleted)
        if accepted is None:
            accepted = multi.local or not (await get_person(session, actor.person_id)).local
        values = {"state": "Accepted" if accepted else "Pending", "published": now()}
        statement = upsert.insert(session, MultiCommunityFollow).values(
            multi_community_id=multi.id, person_id=actor.person_id, **values
        )
        await session.execute(
            statement.on_conflict_do_update(index_elements=["multi_community_id", "person_id"], set_=values)
        )
    else:
        await session.execute(
            delete(MultiCommunityFollow).where(
                MultiCommunityFollow.multi_community_id == multi.id, MultiCommunityFollow.person_id == actor.person_id
            )
        )
    await _count_followers(session, multi)
    await record(session, MultiCommunityFollowed(actor.person_id, multi.id, actor.person_id, following))


async def _count_followers(session: AsyncSession, multi: MultiCommunity) -> None:
    followers = (
        select(func.count(), func.count().filter(Person.local))
        .select_from(MultiCommunityFollow)
        .join(Person, Person.id == MultiCommunityFollow.person_id)
        .where(MultiCommunityFollow.multi_community_id == multi.id)
    )
    multi.subscribers, multi.subscribers_local = (await session.execute(followers)).one()
    await session.flush()


async def accept_follow(session: AsyncSession, multi_id: int, person_id: int) -> None:
    """Another server's multi-community accepted our member's follow (nothing when none is pending)."""
    await session.execute(
        update(MultiCommunityFollow)
        .where(MultiCommunityFollow.multi_community_id == multi_id, MultiCommunityFollow.person_id == person_id)
        .values(state="Accepted")
    )


async def set_suggested(session: AsyncSession, here: LocalInstance, multi_id: int | None) -> None:
    """The multi-community the site's "Suggested" listing reads (0 or None: none). The caller checks the admin."""
    site = await local_site(session, here)
    if not multi_id:
        site.suggested_multi_community_id = None
        return
    multi = await get(session, multi_id)
    site.suggested_multi_community_id = multi.id


@dataclass(slots=True)
class RemoteFeed:
    """What another server says of its multi-community (federation checked it came from the Feed's own host)."""

    ap_id: str
    domain: str
    name: str
    title: str | None
    summary: str | None
    sidebar: str | None
    inbox_url: str | None
    following_url: str
    public_key: str | None


async def upsert_remote(session: AsyncSession, feed: RemoteFeed, creator_id: int) -> MultiCommunity:
    """Stores (or refreshes) another server's multi-community, owned by `creator_id` (a person of that server)."""
    name = limits.check_actor_name(feed.name.strip(), 255)
    query = select(MultiCommunity).where(MultiCommunity.actor_id == feed.ap_id).with_for_update(key_share=True)
    multi = (await session.execute(query)).scalar_one_or_none()
    if multi is None:
        instance = await remote.instance_for(session, feed.domain)
        multi = MultiCommunity(
            instance_id=instance.id, actor_id=feed.ap_id, local=False, deleted=False, published=now(), name=name
        )
        session.add(multi)
    elif multi.local:
        raise AgoraError(Code.invalid_activity, "that multi-community is ours")
    multi.creator_id = creator_id
    multi.name = name
    multi.title = feed.title
    multi.summary = feed.summary
    sidebar = feed.sidebar if feed.sidebar and len(feed.sidebar) <= limits.MARKDOWN_MAX else None
    multi.sidebar = sidebar
    multi.inbox_url = feed.inbox_url
    multi.following_url = feed.following_url
    multi.public_key = feed.public_key
    multi.last_refreshed_at = now()
    await session.flush()
    return multi


async def set_remote_entries(session: AsyncSession, multi_id: int, community_ids: list[int]) -> None:
    """A remote multi-community's entries become `community_ids` (as its server lists them, at most ENTRY_LIMIT)."""
    multi = await get(session, multi_id, lock=True)
    if multi.local:
        raise AgoraError(Code.invalid_activity, "that multi-community is ours")
    wanted = list(dict.fromkeys(community_ids))[:ENTRY_LIMIT]
    await session.execute(
        delete(MultiCommunityEntry).where(
            MultiCommunityEntry.multi_community_id == multi.id, MultiCommunityEntry.community_id.not_in(wanted)
        )
    )
    have = select(MultiCommunityEntry.community_id).where(MultiCommunityEntry.multi_community_id == multi.id)
    present = set((await session.execute(have)).scalars())
    session.add_all(
        MultiCommunityEntry(multi_community_id=multi.id, community_id=c) for c in wanted if c not in present
    )
    await session.flush()
    multi.communities = await _count_entries(session, multi)
