"""A member's vote on a post on PostgreSQL as one statement (domain.votes takes this path there): the vote, the
post's counts and ranks, the author's score, the member's read mark and viewer version, after the checking read
has locked the post. SQLite keeps domain.votes' statement-per-step path (no data-modifying CTEs)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Boolean, Integer, Update, and_, bindparam, case, delete, func, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Community, LocalUser, Person, Post, PostLike, PostRead
from agora.domain import ranking
from agora.domain.events import VoteCast, record


async def vote_at_once(
    session: AsyncSession, post: Post, community: Community, person: Person, score: int, *, elsewhere: bool
) -> None:
    """PostgreSQL: a member's vote on a locked post as one statement (`_statement`): the vote, the post's
    counts and ranks, the author's score, the member's read mark and viewer version. Then the event."""
    at = now()
    values = {
        "target_id": post.id,
        "voter_id": person.id,
        "vote": score,
        "voted_at": at,
        "rank_now": at,
        "active_month": community.users_active_month,
        "author_id": post.creator_id,
        "visible": not (post.deleted or post.removed),
        "read_count": post.comments,
    }
    previous = (await session.execute(_statement(bool(person.local)), values)).scalar_one_or_none()
    if previous is None:  # the post's row was not updated: the vote was already this one
        return
    await record(session, VoteCast(person.id, "post", post.id, score, previous, elsewhere=elsewhere))


@lru_cache(maxsize=2)
def _statement(local: bool) -> Update:
    """Store, change or withdraw a vote on a locked post and apply its difference in one UPDATE of the post with
    data-modifying CTEs, answering the vote it replaced (no row: the vote was unchanged, nothing written).
    Every part reads the snapshot the statement began with, taken under the post's lock (see the module
    docstring), so the previous vote is the one committed last. The ranks are computed from the new counts in SQL
    (domain.ranking's SQL forms). A `local` voter's read mark is kept and their viewer version moved here too
    (db.viewer_versions: this statement is not one the session can name). Parameters: those of
    `vote_at_once`."""
    like, post, person = PostLike.__table__, Post.__table__, Person.__table__
    # named unlike any column: an UPDATE takes a parameter named as a column to be a value for it
    target, voter = bindparam("target_id", type_=Integer), bindparam("voter_id", type_=Integer)
    score, at = bindparam("vote", type_=Integer), bindparam("voted_at", type_=like.c.published.type)
    the_vote = and_(like.c.post_id == target, like.c.person_id == voter)
    was = select(like.c.score).where(the_vote).scalar_subquery()
    before = select(func.coalesce(was, 0).label("previous")).cte("before")
    previous = select(before.c.previous).scalar_subquery()  # one row: read as a value, not joined
    d_score = score - previous
    d_up = case((score == 1, 1), else_=0) - case((previous == 1, 1), else_=0)
    d_down = case((score == -1, 1), else_=0) - case((previous == -1, 1), else_=0)
    stored = postgresql.insert(like).from_select(
        ["post_id", "person_id", "score", "published"], select(target, voter, score, at).where(score != 0)
    )
    stored = stored.on_conflict_do_update(
        index_elements=[like.c.post_id, like.c.person_id],
        set_={"score": stored.excluded.score},
        where=like.c.score != stored.excluded.score,
    )
    gone = delete(like).where(the_vote, score == 0)
    author = (
        update(person)
        .where(person.c.id == bindparam("author_id", type_=Integer), bindparam("visible", type_=Boolean))
        .where(previous != score)
        .values(post_score=person.c.post_score + d_score)
    )
    ctes = [before, stored.cte("stored"), gone.cte("gone"), author.cte("author")]
    if local:
        read = PostRead.__table__
        marked = postgresql.insert(read).values(
            post_id=target, person_id=voter, read_comments=bindparam("read_count", type_=Integer), published=at
        )
        marked = marked.on_conflict_do_update(
            index_elements=[read.c.post_id, read.c.person_id], set_={"read_comments": marked.excluded.read_comments}
        )
        account = LocalUser.__table__
        version = update(account).where(account.c.person_id == voter)
        version = version.values(viewer_version=account.c.viewer_version + 1)
        ctes += [marked.cte("marked"), version.cte("version")]
    new_score = post.c.score + d_score
    upvotes, downvotes = post.c.upvotes + d_up, post.c.downvotes + d_down
    at_rank = now()  # a placeholder: each vote binds its own `rank_now`
    active_month = bindparam("active_month", type_=Integer)
    return (
        update(post)
        .where(post.c.id == target, previous != score)
        .values(
            score=new_score,
            upvotes=upvotes,
            downvotes=downvotes,
            hot_rank=ranking.hot_rank_sql(new_score, post.c.published, at_rank),
            hot_rank_active=ranking.hot_rank_sql(new_score, post.c.newest_comment_time_necro, at_rank),
            scaled_rank=ranking.scaled_rank_sql(new_score, post.c.published, at_rank, active_month),
            controversy_rank=ranking.controversy_rank_sql(upvotes, downvotes),
        )
        .returning(previous)
        .add_cte(*ctes)
    )
