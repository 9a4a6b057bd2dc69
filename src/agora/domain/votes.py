"""Votes on posts and comments, with exact score/upvotes/downvotes under concurrent voting.

The voted row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite writers are serial), so reading the old
vote, writing the new one and applying the difference to every aggregate happen as one step per target. The
statement that locks it also reads the rest of what the vote rules need.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db import upsert
from agora.db.models import Comment, CommentLike, Community, LocalSite, Person, Post, PostLike
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


def _voting_on(target, target_id: int, person_id: int):
    """One statement for everything a vote checks: the voted row, locked (FOR NO KEY UPDATE: foreign-key checks
    may still share it), its community, the voter, whether the voter is banned there, and the voter's
    previous vote. Each was a statement of its own, and each cost more CPU in SQLAlchemy than in the database."""
    if target is Post:
        likes, voted = PostLike, PostLike.post_id
        query = select(Post, Community)
    else:
        likes, voted = CommentLike, CommentLike.comment_id
        query = select(Comment, Community).join(Post, Post.id == Comment.post_id)  # the post only as a join
    previous = select(likes.score).where(voted == target.id, likes.person_id == person_id).scalar_subquery()
    return (
        query.add_columns(
            Person,
            community_ban_active(person_id, Community.id).label("banned"),
            previous.label("previous"),
        )
        .join(Community, Community.id == Post.community_id)
        .outerjoin(Person, Person.id == person_id)
        .where(target.id == target_id)
        .with_for_update(of=target, key_share=True)
    )


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
    row = (await session.execute(_voting_on(Post, post_id, actor.person_id))).one_or_none()
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


async def vote_comment(
    session: AsyncSession, here: LocalInstance, actor: Acting, comment_id: int, score: int
) -> Community:
    """Answers the comment's community."""
    row = (await session.execute(_voting_on(Comment, comment_id, actor.person_id))).one_or_none()
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
