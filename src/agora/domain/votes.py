"""Votes on posts and comments, with exact score/upvotes/downvotes under concurrent voting.

The voted row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite writers are serial), so reading the old
vote, writing the new one and applying the difference to every aggregate happen as one step per target. The
statement that locks it also reads the rest of what the vote rules need.

Every statement of a vote is built once, its values bound parameters: built anew for each vote, with SQLAlchemy
working out each one's cache key again, they cost about a fifth of the CPU of an inbound vote.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Integer, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db import upsert
from agora.db.models import Comment, CommentLike, Community, CommunityPersonBan, LocalSite, Person, Post, PostLike
from agora.domain import counters, posts, ranking
from agora.domain.events import VoteCast, record
from agora.domain.instance import LocalInstance
from agora.domain.permissions import Acting, check_can_write_in, community_ban_active, now
from agora.errors import AgoraError, Code


def _deltas(previous: int, score: int) -> dict[str, int]:
    return {
        "score": score - previous,
        "upvotes": (score == 1) - (previous == 1),
        "downvotes": (score == -1) - (previous == -1),
    }


@lru_cache(maxsize=2)
def _voting_on(target):
    """One statement for everything a vote checks: the voted row, locked (FOR NO KEY UPDATE: foreign-key checks
    may still share it), its community, the voter, whether the voter is banned there, and the voter's
    previous vote. Each was a statement of its own, and each cost more CPU in SQLAlchemy than in the database.
    Parameters: target_id, person_id, at."""
    person_id = bindparam("person_id", type_=Integer)
    if target is Post:
        likes, voted = PostLike, PostLike.post_id
        query = select(Post, Community)
    else:
        likes, voted = CommentLike, CommentLike.comment_id
        query = select(Comment, Community).join(Post, Post.id == Comment.post_id)  # the post only as a join
    previous = select(likes.score).where(voted == target.id, likes.person_id == person_id).scalar_subquery()
    at = bindparam("at", type_=CommunityPersonBan.expires.type)
    return (
        query.add_columns(
            Person,
            community_ban_active(person_id, Community.id, at).label("banned"),
            previous.label("previous"),
        )
        .join(Community, Community.id == Post.community_id)
        .outerjoin(Person, Person.id == person_id)
        .where(target.id == bindparam("target_id", type_=Integer))
        .with_for_update(of=target, key_share=True)
    )


def _voting_values(target_id: int, person_id: int) -> dict:
    return {"target_id": target_id, "person_id": person_id, "at": now()}


@lru_cache(maxsize=8)
def _store_vote(dialect_name: str, model):
    """Insert or change a person's vote. Parameters: target_id, person_id, score, at."""
    table = model.__table__
    voted = table.c.post_id if model is PostLike else table.c.comment_id
    statement = upsert.insert_for(dialect_name, table).values(
        {
            voted: bindparam("target_id", type_=Integer),
            table.c.person_id: bindparam("person_id", type_=Integer),
            table.c.score: bindparam("score", type_=Integer),
            table.c.published: bindparam("at", type_=table.c.published.type),
        }
    )
    return statement.on_conflict_do_update(
        index_elements=[voted, table.c.person_id], set_={"score": statement.excluded.score}
    )


@lru_cache(maxsize=2)
def _withdraw_vote(model):
    """Parameters: target_id, person_id."""
    table = model.__table__
    voted = table.c.post_id if model is PostLike else table.c.comment_id
    return delete(table).where(
        voted == bindparam("target_id", type_=Integer), table.c.person_id == bindparam("person_id", type_=Integer)
    )


async def _write_vote(session: AsyncSession, model, target_id: int, person_id: int, score: int) -> None:
    values = {"target_id": target_id, "person_id": person_id}
    if score == 0:
        await session.execute(_withdraw_vote(model), values)
    else:
        statement = _store_vote(session.bind.dialect.name, model)
        await session.execute(statement, {**values, "score": score, "at": now()})


async def _check_voter(
    session: AsyncSession, here: LocalInstance, score: int, person: Person | None, community: Community, banned: bool
) -> None:
    if score not in (-1, 0, 1):
        raise AgoraError(Code.invalid_vote_value)
    if person is None:
        raise AgoraError(Code.couldnt_find_person)
    if person.bot_account:
        raise AgoraError(Code.invalid_bot_action)
    if score == -1:
        site = await session.get(LocalSite, here.local_site_id)
        if not site.enable_downvotes:
            raise AgoraError(Code.downvotes_are_disabled)
    check_can_write_in(person, community, banned)


async def vote_post(session: AsyncSession, here: LocalInstance, actor: Acting, post_id: int, score: int) -> Community:
    """Answers the post's community."""
    row = (await session.execute(_voting_on(Post), _voting_values(post_id, actor.person_id))).one_or_none()
    if row is None:
        raise AgoraError(Code.couldnt_find_post)
    post, community, person, banned, previous = row
    await _check_voter(session, here, score, person, community, banned)
    posts.require_post_open(post)
    await apply_post_vote(session, post, actor.person_id, score, community=community, previous=previous or 0)
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
) -> None:
    """Store a vote (local or federated) and its effect on counts and ranks; `post` must be locked (and
    `community`, when given, its community: then the ranks need no second read of the post; `previous`, when
    given, the person's vote as read under that lock)."""
    if previous is None:
        previous = (
            await session.execute(
                select(PostLike.score).where(PostLike.post_id == post.id, PostLike.person_id == person_id)
            )
        ).scalar_one_or_none() or 0
    if previous == score:
        return
    await _write_vote(session, PostLike, post.id, person_id, score)
    deltas = _deltas(previous, score)
    locked = (post, community) if community is not None else None
    await posts.update_counts_and_ranks(session, post.id, deltas=deltas, locked=locked)
    if not (post.deleted or post.removed):
        counters.bump_at_commit(session, Person, post.creator_id, post_score=deltas["score"])
    await record(session, VoteCast(person_id, "post", post.id, score, previous))


async def vote_comment(
    session: AsyncSession, here: LocalInstance, actor: Acting, comment_id: int, score: int
) -> Community:
    """Answers the comment's community."""
    row = (await session.execute(_voting_on(Comment), _voting_values(comment_id, actor.person_id))).one_or_none()
    if row is None:
        raise AgoraError(Code.couldnt_find_comment)
    comment, community, person, banned, previous = row
    await _check_voter(session, here, score, person, community, banned)
    if comment.deleted or comment.removed:
        raise AgoraError(Code.deleted)
    await apply_comment_vote(session, comment, actor.person_id, score, previous=previous or 0)
    return community


async def apply_comment_vote(
    session: AsyncSession, comment: Comment, person_id: int, score: int, *, previous: int | None = None
) -> None:
    """Store a vote (local or federated) and its effect on counts and ranks; `comment` must be locked (`previous`,
    when given, the person's vote as read under that lock)."""
    if previous is None:
        previous = (
            await session.execute(
                select(CommentLike.score).where(
                    CommentLike.comment_id == comment.id, CommentLike.person_id == person_id
                )
            )
        ).scalar_one_or_none() or 0
    if previous == score:
        return
    await _write_vote(session, CommentLike, comment.id, person_id, score)
    deltas = _deltas(previous, score)
    # The comment row is locked, so its counts are current: one UPDATE sets counts and ranks together.
    new_score = comment.score + deltas["score"]
    upvotes, downvotes = comment.upvotes + deltas["upvotes"], comment.downvotes + deltas["downvotes"]
    await session.execute(
        _comment_counts(),
        {
            "comment_id": comment.id, "score": new_score, "upvotes": upvotes, "downvotes": downvotes,
            "hot_rank": ranking.hot_rank(new_score, comment.published, now()),
            "controversy_rank": ranking.controversy_rank(upvotes, downvotes),
        },
    )  # fmt: skip
    if not (comment.deleted or comment.removed):
        counters.bump_at_commit(session, Person, comment.creator_id, comment_score=deltas["score"])
    await record(session, VoteCast(person_id, "comment", comment.id, score, previous))


@lru_cache(maxsize=1)
def _comment_counts():
    """A voted comment's counts and ranks, computed under its row lock. Parameters: comment_id and the values."""
    table = Comment.__table__
    names = ("score", "upvotes", "downvotes", "hot_rank", "controversy_rank")
    values = {table.c[name]: bindparam(name, type_=table.c[name].type) for name in names}
    return update(table).where(table.c.id == bindparam("comment_id", type_=Integer)).values(values)
