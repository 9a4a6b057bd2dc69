"""Votes on posts and comments, with exact score/upvotes/downvotes under concurrent voting.

The voted row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite writers are serial), so reading the old
vote, writing the new one and applying the difference to every aggregate happen as one step per target.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db import upsert
from agora.db.models import Comment, CommentLike, Community, LocalSite, Person, Post, PostLike
from agora.domain import comments, counters, posts, ranking
from agora.domain.events import VoteCast, record
from agora.domain.instance import LocalInstance
from agora.domain.permissions import Acting, get_community, get_person, now, require_can_write_in
from agora.errors import AgoraError, Code


def _deltas(previous: int, score: int) -> dict[str, int]:
    return {
        "score": score - previous,
        "upvotes": (score == 1) - (previous == 1),
        "downvotes": (score == -1) - (previous == -1),
    }


async def _check_voter(session: AsyncSession, here: LocalInstance, actor: Acting, score: int, community_id: int):
    if score not in (-1, 0, 1):
        raise AgoraError(Code.invalid_vote_value)
    person = await get_person(session, actor.person_id)
    if person.bot_account:
        raise AgoraError(Code.invalid_bot_action)
    if score == -1:
        site = await session.get(LocalSite, here.local_site_id)
        if not site.enable_downvotes:
            raise AgoraError(Code.downvotes_are_disabled)
    community = await get_community(session, community_id)
    await require_can_write_in(session, actor, person, community)
    return person, community


async def vote_post(session: AsyncSession, here: LocalInstance, actor: Acting, post_id: int, score: int) -> int:
    """Answers the post's community id."""
    post = await posts.get_post(session, post_id, lock=True)
    person, community = await _check_voter(session, here, actor, score, post.community_id)
    posts.require_post_open(post)
    await apply_post_vote(session, post, actor.person_id, score, community=community)
    if person.local:  # read marks are for local members; a federated vote leaves none
        await posts.upsert_read(session, actor.person_id, post.id, post.comments)
    return post.community_id


async def apply_post_vote(
    session: AsyncSession, post: Post, person_id: int, score: int, *, community: Community | None = None
) -> None:
    """Store a vote (local or federated) and its effect on counts and ranks; `post` must be locked (and
    `community`, when given, its community: then the ranks need no second read of the post)."""
    previous = (
        await session.execute(
            select(PostLike.score).where(PostLike.post_id == post.id, PostLike.person_id == person_id)
        )
    ).scalar_one_or_none() or 0
    if previous == score:
        return
    if score == 0:
        await session.execute(delete(PostLike).where(PostLike.post_id == post.id, PostLike.person_id == person_id))
    else:
        statement = upsert.insert(session, PostLike).values(
            post_id=post.id, person_id=person_id, score=score, published=now()
        )
        await session.execute(
            statement.on_conflict_do_update(index_elements=["post_id", "person_id"], set_={"score": score})
        )
    deltas = _deltas(previous, score)
    locked = (post, community) if community is not None else None
    await posts.update_counts_and_ranks(session, post.id, deltas=deltas, locked=locked)
    if not (post.deleted or post.removed):
        counters.bump_at_commit(session, Person, post.creator_id, post_score=deltas["score"])
    await record(session, VoteCast(person_id, "post", post.id, score, previous))


async def vote_comment(session: AsyncSession, here: LocalInstance, actor: Acting, comment_id: int, score: int) -> int:
    """Answers the comment's community id."""
    comment = await comments.get_comment(session, comment_id, lock=True)
    post = await posts.get_post(session, comment.post_id)
    await _check_voter(session, here, actor, score, post.community_id)
    if comment.deleted or comment.removed:
        raise AgoraError(Code.deleted)
    await apply_comment_vote(session, comment, actor.person_id, score)
    return post.community_id


async def apply_comment_vote(session: AsyncSession, comment: Comment, person_id: int, score: int) -> None:
    """Store a vote (local or federated) and its effect on counts and ranks; `comment` must be locked."""
    previous = (
        await session.execute(
            select(CommentLike.score).where(CommentLike.comment_id == comment.id, CommentLike.person_id == person_id)
        )
    ).scalar_one_or_none() or 0
    if previous == score:
        return
    if score == 0:
        await session.execute(
            delete(CommentLike).where(CommentLike.comment_id == comment.id, CommentLike.person_id == person_id)
        )
    else:
        statement = upsert.insert(session, CommentLike).values(
            comment_id=comment.id, person_id=person_id, score=score, published=now()
        )
        await session.execute(
            statement.on_conflict_do_update(index_elements=["comment_id", "person_id"], set_={"score": score})
        )
    deltas = _deltas(previous, score)
    # The comment row is locked, so its counts are current: one UPDATE sets counts and ranks together.
    new_score = comment.score + deltas["score"]
    await session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(
            score=new_score,
            upvotes=comment.upvotes + deltas["upvotes"],
            downvotes=comment.downvotes + deltas["downvotes"],
            hot_rank=ranking.hot_rank(new_score, comment.published, now()),
            controversy_rank=ranking.controversy_rank(
                comment.upvotes + deltas["upvotes"], comment.downvotes + deltas["downvotes"]
            ),
        )
    )
    if not (comment.deleted or comment.removed):
        counters.bump_at_commit(session, Person, comment.creator_id, comment_score=deltas["score"])
    await record(session, VoteCast(person_id, "comment", comment.id, score, previous))
