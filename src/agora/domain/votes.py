"""Votes on posts and comments, with exact score/upvotes/downvotes under concurrent voting.

The voted row is locked first (SELECT … FOR NO KEY UPDATE on PostgreSQL; SQLite writers are serial), so every
vote on one target is a step of its own. The difference applied to the counts comes from the vote row as the write
found it: on PostgreSQL the statement that stores or withdraws the vote answers the previous one (its snapshot is
taken after the lock, so it sees every vote committed before); a previous vote read by the locking statement would
come from that statement's snapshot, taken before it waited for the lock, and miss the vote committed meanwhile.
On SQLite the locking statement reads it too, the whole transaction being serial (BEGIN IMMEDIATE).

Every statement of a vote is built once, its values bound parameters: built anew for each vote, with SQLAlchemy
working out each one's cache key again, they cost about a fifth of the CPU of an inbound vote.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Update,
    and_,
    bindparam,
    delete,
    exists,
    null,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import ReturningDelete

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert
from agora.db.models import (
    Comment,
    CommentLike,
    Community,
    CommunityFollower,
    CommunityPersonBan,
    Person,
    Post,
    PostLike,
)
from agora.domain import counters, post_votes, posts, ranking
from agora.domain.events import VoteCast, record
from agora.domain.permissions import Acting, check_can_write_in, community_ban_active, require_private_member
from agora.domain.site import setting
from agora.errors import AgoraError, Code

Like = type[PostLike] | type[CommentLike]


def _deltas(previous: int, score: int) -> dict[str, int]:
    return {
        "score": score - previous,
        "upvotes": (score == 1) - (previous == 1),
        "downvotes": (score == -1) - (previous == -1),
    }


@lru_cache(maxsize=4)
def _voting_on(target: type[Post] | type[Comment], dialect_name: str) -> Select[*tuple[Any, ...]]:
    """One statement for everything a vote checks: the voted row, locked (FOR NO KEY UPDATE: foreign-key checks
    may still share it), its community, the voter, whether the voter is banned there, on SQLite the voter's
    previous vote (None on PostgreSQL: see the module docstring), and whether another server could hear of the
    vote (the community lives elsewhere or has an accepted follower elsewhere: `VoteCast.elsewhere`). Each was a
    statement of its own, and each cost more CPU in SQLAlchemy than in the database. Parameters: target_id,
    person_id, at."""
    person_id = bindparam("person_id", type_=Integer)
    likes: Like
    voted: InstrumentedAttribute[int]
    query: Select[*tuple[Any, ...]]
    previous: ColumnElement[Any]
    if target is Post:
        likes, voted = PostLike, PostLike.post_id
        query = select(Post, Community)
    else:
        likes, voted = CommentLike, CommentLike.comment_id
        query = select(Comment, Community).join(Post, Post.id == Comment.post_id)  # the post only as a join
    if dialect_name == "sqlite":
        previous = select(likes.score).where(voted == target.id, likes.person_id == person_id).scalar_subquery()
    else:
        previous = null()
    at = bindparam("at", type_=CommunityPersonBan.expires.type)
    return (
        query.add_columns(
            Person,
            community_ban_active(person_id, Community.id, at).label("banned"),
            previous.label("previous"),
            _heard_elsewhere().label("elsewhere"),
        )
        .join(Community, Community.id == Post.community_id)
        .outerjoin(Person, Person.id == person_id)
        .where(target.id == bindparam("target_id", type_=Integer))
        .with_for_update(of=target, key_share=True)
    )


def _heard_elsewhere() -> ColumnElement[bool]:
    followed_elsewhere = exists().where(
        CommunityFollower.community_id == Community.id,
        CommunityFollower.remote,
        CommunityFollower.pending.is_(False),
    )
    return Community.local.is_(False) | followed_elsewhere


def _voting_values(target_id: int, person_id: int) -> dict[str, Any]:
    return {"target_id": target_id, "person_id": person_id, "at": now()}


@lru_cache(maxsize=8)
def _store_vote(dialect_name: str, model: Like) -> Executable:
    """Insert or change a person's vote; on PostgreSQL the statement answers the vote it replaced (no row: none).
    Parameters: target_id, person_id, score, at."""
    table = model.__table__
    voted = _voted(model)
    statement = upsert.insert_for(dialect_name, table).values(
        {
            voted: bindparam("target_id", type_=Integer),
            table.c.person_id: bindparam("person_id", type_=Integer),
            table.c.score: bindparam("score", type_=Integer),
            table.c.published: bindparam("at", type_=table.c.published.type),
        }
    )
    statement = statement.on_conflict_do_update(
        index_elements=[voted, table.c.person_id],
        set_={"score": statement.excluded.score},
        where=table.c.score != statement.excluded.score,
    )
    if dialect_name == "sqlite":
        return statement
    # Both parts read the snapshot the statement began with, taken under the target's lock.
    stored = statement.cte("stored")
    return select(select(table.c.score).where(_the_vote(model)).scalar_subquery()).add_cte(stored)


@lru_cache(maxsize=2)
def _withdraw_vote(model: Like) -> ReturningDelete[int]:
    """Delete a person's vote, answering the score it had (no row: there was none). Parameters: target_id,
    person_id."""
    table = model.__table__
    return delete(table).where(_the_vote(model)).returning(table.c.score)


def _voted(model: Like) -> ColumnElement[int]:
    table = model.__table__
    return table.c.post_id if model is PostLike else table.c.comment_id


def _the_vote(model: Like) -> ColumnElement[bool]:
    """The condition naming one person's vote: parameters target_id, person_id."""
    target_id, person_id = bindparam("target_id", type_=Integer), bindparam("person_id", type_=Integer)
    return and_(_voted(model) == target_id, model.__table__.c.person_id == person_id)


async def _write_vote(
    session: AsyncSession, model: Like, target_id: int, person_id: int, score: int, previous: int | None
) -> int:
    """Store the vote (0 withdraws it) on a locked target; answers the person's vote before it, as the write found
    it. `previous`: the vote as read under the lock on SQLite, when the caller has it."""
    values = {"target_id": target_id, "person_id": person_id}
    if score == 0:
        return (await session.execute(_withdraw_vote(model), values)).scalar_one_or_none() or 0
    dialect_name = upsert.dialect_name(session)
    if dialect_name == "sqlite":
        if previous is None:
            previous = await _previous_vote(session, model, target_id, person_id)
        if previous != score:
            await session.execute(_store_vote(dialect_name, model), {**values, "score": score, "at": now()})
        return previous
    statement = _store_vote(dialect_name, model)
    return (await session.execute(statement, {**values, "score": score, "at": now()})).scalar_one_or_none() or 0


async def _previous_vote(session: AsyncSession, model: Like, target_id: int, person_id: int) -> int:
    query = select(model.score).where(_voted(model) == target_id, model.person_id == person_id)
    return (await session.execute(query)).scalar_one_or_none() or 0


async def _check_voter(
    session: AsyncSession, here: LocalInstance, score: int, person: Person | None, community: Community, banned: bool
) -> None:
    if score not in (-1, 0, 1):
        raise AgoraError(Code.invalid_vote_value)
    if person is None:
        raise AgoraError(Code.couldnt_find_person)
    if person.bot_account:
        raise AgoraError(Code.invalid_bot_action)
    if score == -1 and not await setting(session, here, "enable_downvotes"):
        raise AgoraError(Code.downvotes_are_disabled)
    check_can_write_in(person, community, banned)
    await require_private_member(session, person, community)


async def _voting_row(
    session: AsyncSession, model: type[Post] | type[Comment], target_id: int, actor: Acting, missing: Code
) -> tuple[Any, Community, Person, bool, int | None, bool]:
    """The locked target of a vote with its community, the voter, whether they are banned there, their previous
    vote and whether the vote could reach another server (`_voting_on`); `missing` when there is no such post or
    comment."""
    statement = _voting_on(model, upsert.dialect_name(session))
    row = (await session.execute(statement, _voting_values(target_id, actor.person_id))).one_or_none()
    if row is None:
        raise AgoraError(missing)
    return tuple(row)


async def vote_post(session: AsyncSession, here: LocalInstance, actor: Acting, post_id: int, score: int) -> Community:
    """Answers the post's community."""
    voting = await _voting_row(session, Post, post_id, actor, Code.couldnt_find_post)
    post, community, person, banned, previous, elsewhere = voting
    await _check_voter(session, here, score, person, community, banned)
    posts.require_post_open(post)
    if upsert.dialect_name(session) == "postgresql":
        await post_votes.vote_at_once(session, post, community, person, score, elsewhere=bool(elsewhere))
        return community
    await apply_post_vote(
        session, post, actor.person_id, score, community=community, previous=previous or 0, elsewhere=elsewhere
    )
    if person.local:  # read marks are for local members; a federated vote leaves none
        await posts.upsert_read(session, actor.person_id, post.id, post.comments)
    return community


async def apply_post_vote(
    session: AsyncSession,
    post: Post,
    person_id: int,
    score: int,
    *,
    community: Community | None = None,
    previous: int | None = None,
    elsewhere: bool | None = None,
) -> None:
    """Store a vote (local or federated) and its effect on counts and ranks; `post` must be locked (and
    `community`, when given, its community: then the ranks need no second read of the post; `previous`, when
    given, the person's vote as SQLite's locking read found it; `elsewhere`, when known, whether another server
    could hear of it)."""
    previous = await _write_vote(session, PostLike, post.id, person_id, score, previous)
    if previous == score:
        return
    deltas = _deltas(previous, score)
    locked = (post, community) if community is not None else None
    await posts.update_counts_and_ranks(session, post.id, deltas=deltas, locked=locked)
    if not (post.deleted or post.removed):
        counters.bump_at_commit(session, Person, post.creator_id, post_score=deltas["score"])
    await record(session, VoteCast(person_id, "post", post.id, score, previous, elsewhere=elsewhere))


async def vote_comment(
    session: AsyncSession, here: LocalInstance, actor: Acting, comment_id: int, score: int
) -> Community:
    """Answers the comment's community."""
    voting = await _voting_row(session, Comment, comment_id, actor, Code.couldnt_find_comment)
    comment, community, person, banned, previous, elsewhere = voting
    await _check_voter(session, here, score, person, community, banned)
    if comment.deleted or comment.removed:
        raise AgoraError(Code.deleted)
    await apply_comment_vote(session, comment, actor.person_id, score, previous=previous or 0, elsewhere=elsewhere)
    return community


async def apply_comment_vote(
    session: AsyncSession,
    comment: Comment,
    person_id: int,
    score: int,
    *,
    previous: int | None = None,
    elsewhere: bool | None = None,
) -> None:
    """Store a vote (local or federated) and its effect on counts and ranks; `comment` must be locked (`previous`,
    when given, the person's vote as SQLite's locking read found it; `elsewhere`, when known, whether another
    server could hear of it)."""
    previous = await _write_vote(session, CommentLike, comment.id, person_id, score, previous)
    if previous == score:
        return
    deltas = _deltas(previous, score)
    # The comment row is locked, so its counts are current: one UPDATE sets counts and ranks together.
    new_score = comment.score + deltas["score"]
    upvotes, downvotes = comment.upvotes + deltas["upvotes"], comment.downvotes + deltas["downvotes"]
    await session.execute(
        _comment_counts(),
        {
            "comment_id": comment.id,
            "score": new_score,
            "upvotes": upvotes,
            "downvotes": downvotes,
            "hot_rank": ranking.hot_rank(new_score, comment.published, now()),
            "controversy_rank": ranking.controversy_rank(upvotes, downvotes),
        },
    )
    if not (comment.deleted or comment.removed):
        counters.bump_at_commit(session, Person, comment.creator_id, comment_score=deltas["score"])
    await record(session, VoteCast(person_id, "comment", comment.id, score, previous, elsewhere=elsewhere))


@lru_cache(maxsize=1)
def _comment_counts() -> Update:
    """A voted comment's counts and ranks, computed under its row lock. Parameters: comment_id and the values."""
    table = Comment.__table__
    names = ("score", "upvotes", "downvotes", "hot_rank", "controversy_rank")
    values = {table.c[name]: bindparam(name, type_=table.c[name].type) for name in names}
    return update(table).where(table.c.id == bindparam("comment_id", type_=Integer)).values(values)
