"""Aggregates: every count kept on a row, and the SQL that recounts it from the rows it counts (domain.recounts
compares and repairs).

What each count is (the writes in votes, posts, comments, communities, polls, bans, purges, accounts and
moderation keep it so; a row is *visible* when neither deleted nor removed):

    post        score, upvotes, downvotes   its votes (post_like)
                comments                    its visible comments
    comment     score, upvotes, downvotes   its votes (comment_like)
                child_count                 its visible descendants, at any depth
    person      post_count, post_score      its visible posts, and the sum of the votes on them
                comment_count, comment_score  the same for its comments
    community   subscribers                 accepted follows (a remote community: the figure its server publishes,
                                            not recounted here)
                subscribers_local           accepted follows by our own members
                posts, comments             visible posts; visible comments on visible posts
    local_site  users                       accepted accounts of people not deleted
                posts, comments, communities  visible local posts, comments, and communities
    poll_choice votes                       the people who chose it (a poll of a local post; another server's
    poll        voters                      poll counts as that server last said, plus our votes since)

The site's users, posts, comments and communities are each its column plus its shards (db.counter_shards); a
recount compares and sets that sum.

Not recounted: users_active_* (the hourly job recomputes them from a time window) and newest_comment_time (a time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, case, func, literal, select
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from agora.db.models import (
    Comment,
    CommentLike,
    Community,
    CommunityFollower,
    LocalSite,
    LocalUser,
    Person,
    Poll,
    PollChoice,
    PollVote,
    Post,
    PostLike,
)

Within = Callable[[ColumnElement[int]], ColumnElement[bool]]  # key column → "in this batch"
Recount = Select[*tuple[Any, ...]]  # (id, recounted columns…)


def _visible(table: FromClause) -> ColumnElement[bool]:
    return and_(table.c.deleted.is_(False), table.c.removed.is_(False))


def _n(value: ColumnElement[Any]) -> ColumnElement[int]:
    return func.coalesce(value, 0)


def _with_votes(
    t: FromClause, likes: FromClause, voted: ColumnElement[int], within: Within, name: str, counted: Subquery
) -> Recount:
    """(id, score, upvotes, downvotes, `name`) of the rows of `t` in the batch: their votes (`likes`, whose
    `voted` column names the row) and the count of subquery `counted` (columns key, n)."""
    votes = (
        select(
            voted.label("key"),
            func.sum(likes.c.score).label("score"),
            func.sum(case((likes.c.score == 1, 1), else_=0)).label("upvotes"),
            func.sum(case((likes.c.score == -1, 1), else_=0)).label("downvotes"),
        )
        .where(within(voted))
        .group_by(voted)
        .subquery()
    )
    return (
        select(
            t.c.id,
            _n(votes.c.score).label("score"),
            _n(votes.c.upvotes).label("upvotes"),
            _n(votes.c.downvotes).label("downvotes"),
            _n(counted.c.n).label(name),
        )
        .select_from(t.outerjoin(votes, votes.c.key == t.c.id).outerjoin(counted, counted.c.key == t.c.id))
        .where(within(t.c.id))
    )


def _post(t: FromClause, within: Within) -> Recount:
    comment, likes = Comment.__table__, PostLike.__table__
    comments = (
        select(comment.c.post_id.label("key"), func.count().label("n"))
        .where(within(comment.c.post_id), _visible(comment))
        .group_by(comment.c.post_id)
        .subquery()
    )
    return _with_votes(t, likes, likes.c.post_id, within, "comments", comments)


def _comment(t: FromClause, within: Within) -> Recount:
    likes = CommentLike.__table__
    ancestor, descendant = Comment.__table__.alias("ancestor"), Comment.__table__.alias("descendant")
    # A subtree is one index range (post_id, path): its paths lie between "<path>." and "<path>/" ('/' follows '.').
    children = (
        select(ancestor.c.id.label("key"), func.count().label("n"))
        .select_from(
            ancestor.join(
                descendant,
                and_(
                    descendant.c.post_id == ancestor.c.post_id,
                    descendant.c.path > ancestor.c.path + literal("."),
                    descendant.c.path < ancestor.c.path + literal("/"),
                ),
            )
        )
        .where(within(ancestor.c.id), _visible(descendant))
        .group_by(ancestor.c.id)
        .subquery()
    )
    return _with_votes(t, likes, likes.c.comment_id, within, "child_count", children)


def _authored(table: FromClause, likes: FromClause, voted: ColumnElement[int], within: Within) -> Subquery:
    """(creator, visible rows, votes on them) of posts or comments: the score from the votes, not from the
    rows' own score (a count in turn). One pass over the rows: each is read once, with its votes."""
    return (
        select(
            table.c.creator_id.label("key"),
            func.count(table.c.id.distinct()).label("n"),
            func.sum(likes.c.score).label("score"),
        )
        .select_from(table.outerjoin(likes, voted == table.c.id))
        .where(within(table.c.creator_id), _visible(table))
        .group_by(table.c.creator_id)
        .subquery()
    )


def _person(t: FromClause, within: Within) -> Recount:
    post_like, comment_like = PostLike.__table__, CommentLike.__table__
    posts = _authored(Post.__table__, post_like, post_like.c.post_id, within)
    comments = _authored(Comment.__table__, comment_like, comment_like.c.comment_id, within)
    return (
        select(
            t.c.id,
            _n(posts.c.n).label("post_count"),
            _n(posts.c.score).label("post_score"),
            _n(comments.c.n).label("comment_count"),
            _n(comments.c.score).label("comment_score"),
        )
        .select_from(t.outerjoin(posts, posts.c.key == t.c.id).outerjoin(comments, comments.c.key == t.c.id))
        .where(within(t.c.id))
    )


def _community(t: FromClause, within: Within) -> Recount:
    follower, person, post, comment = (
        CommunityFollower.__table__,
        Person.__table__,
        Post.__table__,
        Comment.__table__,
    )
    follows = (
        select(
            follower.c.community_id.label("key"),
            func.count().label("n"),
            func.sum(case((person.c.local.is_(True), 1), else_=0)).label("local"),
        )
        .select_from(follower.join(person, person.c.id == follower.c.person_id))
        .where(within(follower.c.community_id), follower.c.pending.is_(False))
        .group_by(follower.c.community_id)
        .subquery()
    )
    posts = (
        select(post.c.community_id.label("key"), func.count().label("n"))
        .where(within(post.c.community_id), _visible(post))
        .group_by(post.c.community_id)
        .subquery()
    )
    comments = (
        select(post.c.community_id.label("key"), func.count().label("n"))
        .select_from(post.join(comment, comment.c.post_id == post.c.id))
        .where(within(post.c.community_id), _visible(post), _visible(comment))
        .group_by(post.c.community_id)
        .subquery()
    )
    return (
        select(
            t.c.id,
            case((t.c.local.is_(True), _n(follows.c.n)), else_=t.c.subscribers).label("subscribers"),
            _n(follows.c.local).label("subscribers_local"),
            _n(posts.c.n).label("posts"),
            _n(comments.c.n).label("comments"),
        )
        .select_from(
            t.outerjoin(follows, follows.c.key == t.c.id)
            .outerjoin(posts, posts.c.key == t.c.id)
            .outerjoin(comments, comments.c.key == t.c.id)
        )
        .where(within(t.c.id))
    )


def _site(t: FromClause, within: Within) -> Recount:
    user, person, post, comment, community = (
        LocalUser.__table__,
        Person.__table__,
        Post.__table__,
        Comment.__table__,
        Community.__table__,
    )
    users = (
        select(func.count())
        .select_from(user.join(person, person.c.id == user.c.person_id))
        .where(user.c.accepted_application.is_(True), person.c.deleted.is_(False))
    )
    local = (
        (post, "posts", _visible(post)),
        (comment, "comments", _visible(comment)),
        (community, "communities", _visible(community)),
    )
    counted = [
        select(func.count()).select_from(table).where(table.c.local.is_(True), visible).scalar_subquery().label(name)
        for table, name, visible in local
    ]
    return select(t.c.id, users.scalar_subquery().label("users"), *counted).where(within(t.c.id))


def _poll_choice(t: FromClause, within: Within) -> Recount:
    vote, post = PollVote.__table__, Post.__table__
    votes = (
        select(vote.c.choice_id.label("key"), func.count().label("n"))
        .where(within(vote.c.choice_id))
        .group_by(vote.c.choice_id)
        .subquery()
    )
    recounted = case((post.c.local.is_(True), _n(votes.c.n)), else_=t.c.votes)
    return (
        select(t.c.id, recounted.label("votes"))
        .select_from(t.join(post, post.c.id == t.c.post_id).outerjoin(votes, votes.c.key == t.c.id))
        .where(within(t.c.id))
    )


def _poll(t: FromClause, within: Within) -> Recount:
    vote, post = PollVote.__table__, Post.__table__
    voters = (
        select(vote.c.post_id.label("key"), func.count(vote.c.person_id.distinct()).label("n"))
        .where(within(vote.c.post_id))
        .group_by(vote.c.post_id)
        .subquery()
    )
    recounted = case((post.c.local.is_(True), _n(voters.c.n)), else_=t.c.voters)
    return (
        select(t.c.post_id.label("id"), recounted.label("voters"))
        .select_from(t.join(post, post.c.id == t.c.post_id).outerjoin(voters, voters.c.key == t.c.post_id))
        .where(within(t.c.post_id))
    )


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A table whose rows keep counts: the columns recounted, and the SELECT of (id, recounted columns…) for the
    rows of a batch, given an alias of the table and the batch's condition on a key column. `key`: the column
    that names a row (answered as `id`)."""

    table: Table
    columns: tuple[str, ...]
    recounted: Callable[[FromClause, Within], Recount]
    key: str = "id"

    @property
    def name(self) -> str:
        return self.table.name


AGGREGATES = (
    Aggregate(Post.__table__, ("score", "upvotes", "downvotes", "comments"), _post),
    Aggregate(Comment.__table__, ("score", "upvotes", "downvotes", "child_count"), _comment),
    Aggregate(Person.__table__, ("post_count", "post_score", "comment_count", "comment_score"), _person),
    Aggregate(Community.__table__, ("subscribers", "subscribers_local", "posts", "comments"), _community),
    Aggregate(LocalSite.__table__, ("users", "posts", "comments", "communities"), _site),
    Aggregate(PollChoice.__table__, ("votes",), _poll_choice),
    Aggregate(Poll.__table__, ("voters",), _poll, key="post_id"),
)
