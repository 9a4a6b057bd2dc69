"""Who outside hears of a community's changes: its remote followers, their inboxes and instances."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, exists, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Comment, Community, CommunityFollower, Instance, Person, Post
from agora.db.prepared import Prepared, fetch
from agora.queries import columns


async def server_follows(session: AsyncSession, community_id: int, domain: str) -> bool:
    """Someone of the instance at `domain` follows the community with an accepted follow."""
    query = select(
        exists()
        .where(CommunityFollower.community_id == community_id, CommunityFollower.pending.is_(False))
        .where(CommunityFollower.person_id == Person.id, Person.instance_id == Instance.id, Instance.domain == domain)
    )
    return bool((await session.execute(query)).scalar())


async def inboxes(session: AsyncSession, community_id: int, instance_id: int | None = None) -> list[tuple[int, str]]:
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
    query: Select[*tuple[Any, ...]]
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


async def instance_ids(session: AsyncSession, community_id: int) -> list[int]:
    """The instances of a local community's remote followers that have an inbox (as `inboxes`)."""
    return [row[0] for row in await fetch(session, _follower_instances(), {"community_id": community_id})]


async def has_local(session: AsyncSession, community_id: int, *, accepted_only: bool = False) -> bool:
    query = (
        select(CommunityFollower.id)
        .join(Person, Person.id == CommunityFollower.person_id)
        .where(CommunityFollower.community_id == community_id, Person.local.is_(True))
        .limit(1)
    )
    if accepted_only:
        query = query.where(CommunityFollower.pending.is_(False))
    return (await session.execute(query)).first() is not None
