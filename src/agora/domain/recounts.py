"""Recounts: every count kept on a row, recomputed from the rows it counts, to verify it or put it right.

What each count is (the writes in votes, posts, comments, communities, bans, purges, accounts and moderation keep
it so; a row is *visible* when neither deleted nor removed):

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

Not recounted: users_active_* (the hourly job recomputes them from a time window) and newest_comment_time (a time).

Each table is read a range of ids at a time, by one set-based SELECT that joins the rows to grouped recounts and
answers only the rows that differ. A repair locks those rows (FOR NO KEY UPDATE, the lock writers take to change
them) and sets them from a recount made by the next statement, whose snapshot is taken under the locks: a write
to what they count has committed before it (and is counted) or waits to add its own increment after. It is safe
on a live instance; on SQLite every write transaction is serial anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement, Select, TableClause

from agora.config import Settings
from agora.db.engine import open_database
from agora.db.models import (
    Comment,
    CommentLike,
    Community,
    CommunityFollower,
    LocalSite,
    LocalUser,
    Person,
    Post,
    PostLike,
)

Within = Callable[[ColumnElement], ColumnElement[bool]]  # key column → "in this batch"
LOCK_CHUNK = 1000  # rows locked and set per statement by a repair (each names them in a few IN lists)


@dataclass(frozen=True, slots=True)
class Mismatch:
    table: str
    row_id: int
    column: str
    stored: int
    recounted: int


def _visible(table) -> ColumnElement[bool]:
    return and_(table.c.deleted.is_(False), table.c.removed.is_(False))


def _n(value) -> ColumnElement[int]:
    return func.coalesce(value, 0)


def _with_votes(t, likes, voted, within: Within, name: str, counted) -> Select:
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


def _post(t, within: Within) -> Select:
    comment, likes = Comment.__table__, PostLike.__table__
    comments = (
        select(comment.c.post_id.label("key"), func.count().label("n"))
        .where(within(comment.c.post_id), _visible(comment))
        .group_by(comment.c.post_id)
        .subquery()
    )
    return _with_votes(t, likes, likes.c.post_id, within, "comments", comments)


def _comment(t, within: Within) -> Select:
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


def _authored(table, likes, voted, within: Within):
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


def _person(t, within: Within) -> Select:
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


def _community(t, within: Within) -> Select:
    follower, person, post, comment = (
        CommunityFollower.__table__, Person.__table__, Post.__table__, Comment.__table__,
    )  # fmt: skip
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


def _site(t, within: Within) -> Select:
    user, person, post, comment, community = (
        LocalUser.__table__, Person.__table__, Post.__table__, Comment.__table__, Community.__table__,
    )  # fmt: skip
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


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A table whose rows keep counts: the columns recounted, and the SELECT of (id, recounted columns…) for the
    rows of a batch, given an alias of the table and the batch's condition on a key column."""

    table: TableClause
    columns: tuple[str, ...]
    recounted: Callable[[TableClause, Within], Select]

    @property
    def name(self) -> str:
        return self.table.name


AGGREGATES = (
    Aggregate(Post.__table__, ("score", "upvotes", "downvotes", "comments"), _post),
    Aggregate(Comment.__table__, ("score", "upvotes", "downvotes", "child_count"), _comment),
    Aggregate(Person.__table__, ("post_count", "post_score", "comment_count", "comment_score"), _person),
    Aggregate(Community.__table__, ("subscribers", "subscribers_local", "posts", "comments"), _community),
    Aggregate(LocalSite.__table__, ("users", "posts", "comments", "communities"), _site),
)


def _between(lo: int, hi: int) -> Within:
    return lambda key: and_(key >= lo, key < hi)


async def id_span(session: AsyncSession, aggregate: Aggregate) -> tuple[int, int] | None:
    """(lowest id, highest id + 1) of the table's rows, or None when it has none."""
    ids = aggregate.table.c.id
    lo, hi = (await session.execute(select(func.min(ids), func.max(ids)))).one()
    return None if lo is None else (lo, hi + 1)


def batches(span: tuple[int, int], size: int) -> Iterator[tuple[int, int]]:
    for lo in range(span[0], span[1], size):
        yield lo, min(lo + size, span[1])


def _differing(aggregate: Aggregate, within: Within) -> Select:
    t = aggregate.table.alias("counted")
    recount = aggregate.recounted(aggregate.table.alias("target"), within).subquery("recount")
    differs = or_(*(t.c[name] != recount.c[name] for name in aggregate.columns))
    stored = [t.c[name] for name in aggregate.columns]
    again = [recount.c[name] for name in aggregate.columns]
    return (
        select(t.c.id, *stored, *again)
        .join(recount, recount.c.id == t.c.id)
        .where(within(t.c.id), differs)
        .order_by(t.c.id)
    )


async def check(session: AsyncSession, aggregate: Aggregate, lo: int, hi: int) -> list[Mismatch]:
    """The counts of rows lo ≤ id < hi that differ from their recount; changes nothing."""
    width = len(aggregate.columns)
    found = []
    for row in (await session.execute(_differing(aggregate, _between(lo, hi)))).all():
        for i, name in enumerate(aggregate.columns):
            stored, recounted = row[1 + i], row[1 + width + i]
            if stored != recounted:
                found.append(Mismatch(aggregate.name, row[0], name, int(stored), int(recounted)))
    return found


async def repair(session: AsyncSession, aggregate: Aggregate, ids: list[int]) -> int:
    """Set the counts of rows `ids` to their recount (under their row locks); answers how many rows changed."""
    table, changed = aggregate.table, 0
    ids = sorted(set(ids))
    for start in range(0, len(ids), LOCK_CHUNK):
        chunk = ids[start : start + LOCK_CHUNK]
        lock = select(table.c.id).where(table.c.id.in_(chunk)).order_by(table.c.id).with_for_update(key_share=True)
        await session.execute(lock)
        recount = aggregate.recounted(table.alias("target"), lambda key, ids=chunk: key.in_(ids)).subquery("recount")
        statement = (
            update(table)
            .values({table.c[name]: recount.c[name] for name in aggregate.columns})
            .where(
                table.c.id == recount.c.id,
                table.c.id.in_(chunk),
                or_(*(table.c[name] != recount.c[name] for name in aggregate.columns)),
            )
        )
        changed += (await session.execute(statement)).rowcount or 0
    return changed


@dataclass(slots=True)
class Tally:
    """What a run found and did, per table: mismatched counts, rows they were on, rows changed by the repair."""

    mismatches: dict[str, int]
    rows: dict[str, int]
    changed: dict[str, int]


async def run(
    settings: Settings,
    *,
    repair_counts: bool,
    batch_size: int,
    progress: Callable[[str, int, int], None],
    found: Callable[[Mismatch], None],
) -> Tally:
    """Check every aggregate, batch by batch (with `repair_counts`, set the rows that differ). `progress(table,
    ids done, ids in all)` after each batch; `found(mismatch)` for each count that differs."""
    tally = Tally({}, {}, {})
    db = open_database(settings, pool_size=2, application_name="agora-recount")
    try:
        for aggregate in AGGREGATES:
            name = aggregate.name
            tally.mismatches[name] = tally.rows[name] = tally.changed[name] = 0
            async with db.read() as session:
                span = await id_span(session, aggregate)
            if span is None:
                progress(name, 0, 0)
                continue
            progress(name, 0, span[1] - span[0])
            for lo, hi in batches(span, batch_size):
                async with db.read() as session:
                    mismatches = await check(session, aggregate, lo, hi)
                for mismatch in mismatches:
                    found(mismatch)
                ids = sorted({m.row_id for m in mismatches})
                tally.mismatches[name] += len(mismatches)
                tally.rows[name] += len(ids)
                if repair_counts and ids:
                    async with db.write() as session:
                        tally.changed[name] += await repair(session, aggregate, ids)
                progress(name, hi - span[0], span[1] - span[0])
    finally:
        await db.dispose()
    return tally
