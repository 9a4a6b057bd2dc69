"""Reads for federation: rows by ActivityPub id, actors' keys and inboxes, instances and their delivery state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import Integer, bindparam, func, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import (
    Comment,
    CommentReport,
    Community,
    CommunityFollower,
    CommunityLanguage,
    CommunityModerator,
    FederationQueueState,
    FederationRule,
    Instance,
    Language,
    LocalSite,
    Person,
    Post,
    PostReport,
    PrivateMessage,
    ReceivedActivity,
    SentActivity,
    Site,
)
from agora.db.prepared import Prepared, fetch
from agora.queries import columns, visibility
from agora.queries.id_lists import one_of

BY_KIND = {"person": Person, "community": Community, "post": Post, "comment": Comment, "message": PrivateMessage}


async def id_by_ap_id(session: AsyncSession, kind: str, url: str) -> int | None:
    table, column = _by_id_column(kind)
    return (await session.execute(select(table.c.id).where(column == url))).scalar_one_or_none()


# Lemmy-shaped paths say what an id is, so the likely table is asked first.
_HINTS = (
    ("/post/", "post"),
    ("/comment/", "comment"),
    ("/u/", "person"),
    ("/users/", "person"),
    ("/c/", "community"),
    ("/private_message/", "message"),
)


def _by_id_column(kind: str):
    table = BY_KIND[kind].__table__
    return table, table.c.actor_id if kind in ("person", "community") else table.c.ap_id


@lru_cache(maxsize=16)
def _find_object(order: tuple[str, ...]) -> Prepared:
    """One statement probes every table's unique id index, in `order`; the first that has the id answers. Every
    activity asks this (and `actor_key`) before anything else: one round trip instead of up to five."""
    url = bindparam("url")
    parts = []
    for rank, kind in enumerate(order):
        table, column = _by_id_column(kind)
        parts.append(select(literal_column(str(rank)).label("rank"), table.c.id).where(column == url))
    query = union_all(*parts).order_by(literal_column("rank")).limit(1)
    return Prepared(lambda _dialect: query)


async def find_object(session: AsyncSession, url: str) -> tuple[str, int] | None:
    """Which of our rows has this ActivityPub id: ("post", 12), ("person", 3) … or None."""
    order = tuple(dict.fromkeys([*(kind for hint, kind in _HINTS if hint in url), *BY_KIND]))
    rows = await fetch(session, _find_object(order), {"url": url})
    return (order[int(rows[0][0])], rows[0][1]) if rows else None


@dataclass(frozen=True, slots=True)
class ActorKey:
    kind: str  # person | community | site
    id: int
    actor_id: str
    public_key: str | None
    private_key: str | None
    local: bool
    refreshed: datetime | None
    deleted: bool


_ACTOR_KINDS = ("person", "community", "site")


@lru_cache(maxsize=1)
def _actor_key() -> Prepared:
    url = bindparam("url")
    parts = [
        select(
            literal_column(str(rank)).label("rank"),
            t.c.id,
            t.c.public_key,
            t.c.private_key,
            t.c.local,
            t.c.last_refreshed_at,
            t.c.deleted,
        ).where(t.c.actor_id == url)
        for rank, t in enumerate((Person.__table__, Community.__table__))
    ]
    site = Site.__table__
    parts.append(
        select(
            literal_column("2"),
            site.c.id,
            site.c.public_key,
            site.c.private_key,
            columns.FALSE,
            site.c.last_refreshed_at,
            columns.FALSE,
        ).where(site.c.actor_id == url)
    )
    query = union_all(*parts).order_by(literal_column("rank")).limit(1)
    return Prepared(lambda _dialect: query)


async def actor_key(session: AsyncSession, actor_url: str) -> ActorKey | None:
    """The key of the person, community or instance actor with this id (a key id's fragment is ignored)."""
    actor_url = actor_url.split("#", 1)[0]
    rows = await fetch(session, _actor_key(), {"url": actor_url})
    if not rows:
        return None
    rank, row_id, public_key, private_key, local, refreshed, deleted = rows[0]
    return ActorKey(
        _ACTOR_KINDS[int(rank)], row_id, actor_url, public_key, private_key, bool(local), refreshed, bool(deleted)
    )


async def row(session: AsyncSession, kind: str, row_id: int) -> dict[str, Any] | None:
    model = BY_KIND[kind]
    found = (await session.execute(select(model.__table__).where(model.id == row_id))).mappings().first()
    return dict(found) if found else None


async def follower_inboxes(
    session: AsyncSession, community_id: int, instance_id: int | None = None
) -> list[tuple[int, str]]:
    """(instance id, inbox) of every remote follower of a local community (on one instance, if given); a shared
    inbox stands for its people."""
    query = (
        select(Person.instance_id, func.coalesce(Person.shared_inbox_url, Person.inbox_url))
        .join(CommunityFollower, CommunityFollower.person_id == Person.id)
        .where(
            CommunityFollower.community_id == community_id,
            CommunityFollower.remote,  # as a bare column: `remote IS true` does not match the partial index
            CommunityFollower.pending.is_(False),
        )
        .distinct()
    )
    if instance_id is not None:
        query = query.where(Person.instance_id == instance_id)
    return [(found, inbox) for found, inbox in await session.execute(query) if inbox]


@lru_cache(maxsize=2)
def _audience(target: str) -> Prepared:
    post, community, follower = Post.__table__, Community.__table__, CommunityFollower.__table__
    remote_follower = (
        select(literal_column("1"))
        .where(follower.c.community_id == community.c.id, follower.c.remote, follower.c.pending == columns.FALSE)
        .exists()
    )
    community_elsewhere = (community.c.local == columns.FALSE) | remote_follower
    if target == "post":
        query = (
            select(community_elsewhere, columns.FALSE, literal_column("NULL"))
            .select_from(post.join(community, community.c.id == post.c.community_id))
            .where(post.c.id == bindparam("id"))
        )
    else:
        comment, parent, author = Comment.__table__, Comment.__table__.alias("parent"), Person.__table__
        query = (
            select(community_elsewhere, author.c.local == columns.FALSE, comment.c.content)
            .select_from(
                comment.join(post, post.c.id == comment.c.post_id)
                .join(community, community.c.id == post.c.community_id)
                .outerjoin(parent, parent.c.id == comment.c.parent_id)
                .join(author, author.c.id == func.coalesce(parent.c.creator_id, post.c.creator_id))
            )
            .where(comment.c.id == bindparam("id"))
        )
    return Prepared(lambda _dialect: query)


async def audience(session: AsyncSession, target: str, row_id: int) -> tuple[bool, bool, str | None] | None:
    """Who outside could hear of a change to this post or comment: (its community lives elsewhere or has an
    accepted follower elsewhere, the author it answers lives elsewhere, its text for mentions); None when there
    is no such row. One query, asked before an activity is built: most changes on most instances reach no other
    server, and building one (its rows, its rendered text) cost a quarter of a new comment's time."""
    rows = await fetch(session, _audience(target), {"id": row_id})
    if not rows:
        return None
    community_elsewhere, author_elsewhere, content = rows[0]
    return bool(community_elsewhere), bool(author_elsewhere), content


@lru_cache(maxsize=1)
def _follower_instances() -> Prepared:
    person, follower = Person.__table__, CommunityFollower.__table__
    query = (
        select(person.c.instance_id)
        .distinct()
        .select_from(follower.join(person, person.c.id == follower.c.person_id))
        .where(
            follower.c.community_id == bindparam("community_id", type_=Integer),
            follower.c.remote,  # as a bare column: `remote IS true` does not match the partial index
            follower.c.pending == columns.FALSE,
            func.coalesce(person.c.shared_inbox_url, person.c.inbox_url) != "",  # null or empty: nowhere to send
        )
    )
    return Prepared(lambda _dialect: query)


async def follower_instance_ids(session: AsyncSession, community_id: int) -> list[int]:
    """The instances of a local community's remote followers that have an inbox (as `follower_inboxes`)."""
    return [row[0] for row in await fetch(session, _follower_instances(), {"community_id": community_id})]


async def has_local_follower(session: AsyncSession, community_id: int, *, accepted_only: bool = False) -> bool:
    query = (
        select(CommunityFollower.id)
        .join(Person, Person.id == CommunityFollower.person_id)
        .where(CommunityFollower.community_id == community_id, Person.local.is_(True))
        .limit(1)
    )
    if accepted_only:
        query = query.where(CommunityFollower.pending.is_(False))
    return (await session.execute(query)).first() is not None


async def rules(session: AsyncSession) -> dict[str, str]:
    """domain → "allowed" | "blocked" for the site's allow and block lists."""
    rows = await session.execute(
        select(Instance.domain, FederationRule.kind).join(Instance, Instance.id == FederationRule.instance_id)
    )
    return {domain: kind for domain, kind in rows}


async def instances(session: AsyncSession, local_instance_id: int) -> list[dict[str, Any]]:
    """Every other instance we know, with its delivery state (None when we never sent it anything)."""
    query = (
        select(Instance.__table__, FederationQueueState.__table__, FederationRule.kind.label("rule"))
        .outerjoin(FederationQueueState, FederationQueueState.instance_id == Instance.id)
        .outerjoin(FederationRule, FederationRule.instance_id == Instance.id)
        .where(Instance.id != local_instance_id)
        .order_by(Instance.domain)
    )
    return [dict(r) for r in (await session.execute(query)).mappings()]


@lru_cache(maxsize=1)
def _with_queue() -> Prepared:
    state = FederationQueueState.__table__
    return Prepared(lambda _dialect: select(state.c.instance_id).where(one_of(state.c.instance_id, "ids")))


async def instances_with_queue(session: AsyncSession, instance_ids: set[int]) -> set[int]:
    """Those of `instance_ids` that already have a delivery position."""
    if not instance_ids:
        return set()
    return {row[0] for row in await fetch(session, _with_queue(), {"ids": sorted(instance_ids)})}


async def last_seq(session: AsyncSession) -> int:
    return (await session.execute(select(func.coalesce(func.max(SentActivity.seq), 0)))).scalar_one()


async def pending_counts(session: AsyncSession) -> dict[int, tuple[int, datetime | None]]:
    """instance id → (activities after its position, published time of the first of them)."""
    rows = await session.execute(
        select(
            FederationQueueState.instance_id,
            func.count(SentActivity.id),
            func.min(SentActivity.published),
        )
        .join(SentActivity, SentActivity.seq > FederationQueueState.last_successful_seq)
        .group_by(FederationQueueState.instance_id)
    )
    return {instance_id: (count, first) for instance_id, count, first in rows}


async def received(session: AsyncSession, *, state: str | None, limit: int) -> list[dict[str, Any]]:
    query = (
        select(
            ReceivedActivity.id,
            ReceivedActivity.ap_id,
            ReceivedActivity.actor,
            ReceivedActivity.kind,
            ReceivedActivity.state,
            ReceivedActivity.reason,
            ReceivedActivity.attempts,
            ReceivedActivity.received,
            ReceivedActivity.processed,
        )
        .order_by(ReceivedActivity.id.desc())
        .limit(limit)
    )
    if state:
        query = query.where(ReceivedActivity.state == state)
    return [dict(r) for r in (await session.execute(query)).mappings()]


async def received_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(ReceivedActivity.state, func.count()).group_by(ReceivedActivity.state))
    return dict(rows.all())


async def sent_activity(session: AsyncSession, ap_id: str) -> str | None:
    return (await session.execute(select(SentActivity.data).where(SentActivity.ap_id == ap_id))).scalar_one_or_none()


async def language_id(session: AsyncSession, code: str | None) -> int | None:
    if not code:
        return None
    return (await session.execute(select(Language.id).where(Language.code == code))).scalar_one_or_none()


async def instance_inbox(session: AsyncSession, instance_id: int) -> str | None:
    """A shared inbox of an instance, from any actor of it we know; else `/inbox` beside one of its actors (so an
    instance on plain http, as in tests, keeps its scheme)."""
    for model in (Person, Community):
        found = (
            await session.execute(
                select(model.shared_inbox_url)
                .where(model.instance_id == instance_id, model.shared_inbox_url.is_not(None))
                .limit(1)
            )
        ).scalar_one_or_none()
        if found:
            return found
    for model in (Person, Community):
        actor = (
            await session.execute(select(model.actor_id).where(model.instance_id == instance_id).limit(1))
        ).scalar_one_or_none()
        if actor:
            parts = urlsplit(actor)
            return f"{parts.scheme}://{parts.netloc}/inbox"
    return None


async def received_ap_id(session: AsyncSession, ap_id: str) -> bool:
    return (
        await session.execute(select(ReceivedActivity.id).where(ReceivedActivity.ap_id == ap_id))
    ).first() is not None


async def sent_by_ap_id(session: AsyncSession, ap_id: str) -> dict | None:
    data = await sent_activity(session, ap_id)
    return orjson.loads(data) if data else None


async def report_id(session: AsyncSession, kind: str, target_id: int, creator_id: int) -> int | None:
    model, column = (PostReport, PostReport.post_id) if kind == "post" else (CommentReport, CommentReport.comment_id)
    query = select(model.id).where(column == target_id, model.creator_id == creator_id)
    return (await session.execute(query)).scalar_one_or_none()


async def language(session: AsyncSession, language_id: int | None) -> dict[str, Any] | None:
    if not language_id:
        return None
    found = (await session.execute(select(Language.__table__).where(Language.id == language_id))).mappings().first()
    return dict(found) if found else None


async def person_by_handle(session: AsyncSession, name: str, domain: str) -> dict[str, Any] | None:
    query = (
        select(Person.__table__)
        .join(Instance, Instance.id == Person.instance_id)
        .where(func.lower(Person.name) == name.lower(), Instance.domain == domain.lower())
    )
    found = (await session.execute(query)).mappings().first()
    return dict(found) if found else None


async def report(session: AsyncSession, kind: str, report_id: int) -> dict[str, Any] | None:
    model = PostReport if kind == "post" else CommentReport
    found = (await session.execute(select(model.__table__).where(model.id == report_id))).mappings().first()
    return dict(found) if found else None


async def community_languages(session: AsyncSession, community_id: int) -> list[dict[str, Any]]:
    query = (
        select(Language.code, Language.name)
        .join(CommunityLanguage, CommunityLanguage.language_id == Language.id)
        .where(CommunityLanguage.community_id == community_id, Language.id != 0)
        .order_by(Language.id)
    )
    return [dict(r) for r in (await session.execute(query)).mappings()]


async def recent_posts(session: AsyncSession, community_id: int, limit: int) -> list[int]:
    query = (
        select(Post.id)
        .where(Post.community_id == community_id, Post.deleted.is_(False), Post.removed.is_(False))
        .order_by(Post.published.desc(), Post.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def featured_posts(session: AsyncSession, community_id: int) -> list[int]:
    query = (
        select(Post.id)
        .where(
            Post.community_id == community_id,
            Post.featured_community.is_(True),
            Post.deleted.is_(False),
            Post.removed.is_(False),
        )
        .order_by(Post.published.desc())
    )
    return list((await session.execute(query)).scalars())


async def moderator_urls(session: AsyncSession, community_id: int) -> list[str]:
    query = (
        select(Person.actor_id)
        .join(CommunityModerator, CommunityModerator.person_id == Person.id)
        .where(CommunityModerator.community_id == community_id)
        .order_by(CommunityModerator.rank, CommunityModerator.id)
    )
    return list((await session.execute(query)).scalars())


async def site_row(session: AsyncSession, site_id: int) -> dict[str, Any]:
    return dict((await session.execute(select(Site.__table__).where(Site.id == site_id))).mappings().one())


async def federation_enabled(session: AsyncSession, local_site_id: int) -> bool:
    """Whether anything goes out (queries.visibility.federates: never from a private instance)."""
    local_site = already_loaded(session, LocalSite, local_site_id)
    if local_site is None:
        query = select(LocalSite.federation_enabled, LocalSite.private_instance).where(LocalSite.id == local_site_id)
        enabled, private = (await session.execute(query)).one()
    else:
        enabled, private = local_site.federation_enabled, local_site.private_instance
    return visibility.federates({"federation_enabled": enabled, "private_instance": private})


def already_loaded(session: AsyncSession, model, row_id: int):
    """The row as this session already holds it (a write loaded it a moment ago), else None: the federation
    builders that run inside the write ask again for what it has just read."""
    return session.identity_map.get(session.identity_key(model, row_id))


async def person_is_local(session: AsyncSession, person_id: int) -> bool:
    person = already_loaded(session, Person, person_id)
    if person is not None:
        return bool(person.local)
    return bool((await session.execute(select(Person.local).where(Person.id == person_id))).scalar_one_or_none())


async def instances_without_software(session: AsyncSession, local_instance_id: int, limit: int) -> list[tuple]:
    query = (
        select(Instance.id, Instance.domain)
        .where(Instance.software.is_(None), Instance.id != local_instance_id)
        .order_by(Instance.id)
        .limit(limit)
    )
    return [tuple(r) for r in (await session.execute(query)).all()]
