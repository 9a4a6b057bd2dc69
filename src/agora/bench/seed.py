"""Fill a database with an instance's worth of content, written in bulk but exactly as the app would leave it:
every aggregate, rank, comment path and vote row consistent (tests/bench/test_seed.py recounts them).

Two passes over the posts in bounded memory (bench.plan): the first draws each post's events and counts every
aggregate, the second draws them again, identically, and writes the rows a few thousand posts at a time, so
people and communities are written once, with their final counts, before their posts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker

from agora.bench import rows
from agora.bench.plan import HOT_POST_COMMENTS, Plan, Sizes, Tally, events, make_plan, stream
from agora.config import Settings
from agora.core.instance import LocalInstance
from agora.db.engine import open_admin_engine
from agora.db.models import (
    Comment,
    CommentLike,
    Community,
    CommunityFollower,
    CommunityModerator,
    LocalSite,
    LocalUser,
    Person,
    Post,
    PostLike,
)
from agora.domain import passwords, ranking
from agora.domain.instance import bootstrap
from agora.queries import columns

__all__ = ["HOT_POST_COMMENTS", "PASSWORD", "PRESETS", "Sizes", "has_content", "seed", "total_rows"]

PASSWORD = "benchmark password"
LOGINS = 1000  # people bench0 … bench999 can log in
BIG_TABLES = ("post", "comment", "post_like", "comment_like")
FLUSH_COMMENTS = 50_000
Progress = Callable[[str, int], None]  # (phase, units done since the last call); phase "total" resets the total

PRESETS = {
    "small": Sizes(posts=10_000, comments=100_000, communities=200, persons=5_000),
    "medium": Sizes(posts=100_000, comments=1_000_000, communities=1_000, persons=20_000),
    "large": Sizes(posts=1_000_000, comments=10_000_000, communities=10_000, persons=100_000),
}


async def has_content(settings: Settings) -> bool:
    engine = open_admin_engine(settings)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(select(Person.id).limit(1))
            return found.first() is not None
    finally:
        await engine.dispose()


def total_rows(s: Sizes) -> int:
    """Rows to write, estimated before counting (votes average about 4.5 per post and 1.3 per comment)."""
    return s.posts + s.comments + s.persons + s.communities + int(s.posts * 4.5) + int(s.comments * 1.3)


async def seed(settings: Settings, sizes: Sizes, progress: Progress) -> dict[str, int]:
    """Write the dataset into an empty, migrated database; answers the row counts written."""
    now = datetime.now(UTC)
    engine = open_admin_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
            here = await bootstrap(session, settings)
        passwords.configure(time_cost=1, memory_kib=1024, parallelism=1)
        password_hash = await passwords.hash_password(PASSWORD)
        plan = make_plan(sizes, now)
        tally = Tally(plan)
        for post_id in range(1, sizes.posts + 1):
            tally.count_post(post_id, events(plan, post_id))
            if post_id % 1000 == 0 or post_id == sizes.posts:
                progress("counting", 1000 if post_id % 1000 == 0 else post_id % 1000)
        progress(
            "total",
            sizes.persons
            + sizes.communities
            + sizes.posts
            + tally.comments
            + tally.post_votes
            + tally.comment_votes
            + len(plan.follows),
        )
        async with engine.begin() as conn:
            await _fast_load(conn)
            indexes = await rows.drop_indexes(conn, BIG_TABLES)
            await _people_and_communities(conn, here, plan, tally, password_hash, progress)
            await _posts(conn, here, plan, tally, progress)
            await _site(conn, here, plan, tally)
            await rows.create_indexes(conn, indexes, progress)
        await _analyze(engine)
        return {
            "persons": sizes.persons,
            "communities": sizes.communities,
            "posts": sizes.posts,
            "comments": tally.comments,
            "post_votes": tally.post_votes,
            "comment_votes": tally.comment_votes,
            "follows": len(plan.follows),
            "hot_posts": plan.hot,
        }
    finally:
        await engine.dispose()


async def _fast_load(conn: AsyncConnection) -> None:
    if conn.dialect.name != "postgresql":
        return
    await conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
    superuser = (await conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    if superuser:
        # Foreign keys hold by construction; checking 30M of them row by row would double the load time.
        await conn.exec_driver_sql("SET LOCAL session_replication_role = replica")


async def _people_and_communities(
    conn: AsyncConnection, here: LocalInstance, plan: Plan, tally: Tally, password_hash: str, progress: Progress
) -> None:
    base, s = here.base_url, plan.sizes
    people = rows.Writer(
        conn,
        Person.__table__,
        (
            "id",
            "name",
            "actor_id",
            "instance_id",
            "local",
            "published",
            "post_count",
            "post_score",
            "comment_count",
            "comment_score",
        ),
    )
    batch: list[tuple[Any, ...]] = []
    for pid in range(1, s.persons + 1):
        batch.append(
            (
                pid,
                f"bench{pid - 1}",
                f"{base}/u/bench{pid - 1}",
                here.instance_id,
                True,
                plan.at(plan.person_age[pid - 1]),
                tally.person_posts[pid],
                tally.person_post_score[pid],
                tally.person_comments[pid],
                tally.person_comment_score[pid],
            )
        )
        if len(batch) == 20_000 or pid == s.persons:
            progress("persons", await people.write(batch))
            batch = []
    users = rows.Writer(
        conn,
        LocalUser.__table__,
        ("id", "person_id", "password_encrypted", "accepted_application", "email_verified", "show_read_posts"),
    )
    await users.write((pid, pid, password_hash, True, True, True) for pid in range(1, min(s.persons, LOGINS) + 1))
    active = {name: tally.active_users(name)[0] for name in ("day", "week", "month", "half_year")}
    communities = rows.Writer(
        conn,
        Community.__table__,
        (
            "id",
            "name",
            "title",
            "actor_id",
            "instance_id",
            "local",
            "published",
            "description",
            *columns.COMMUNITY_COUNTS,
            "hot_rank",
        ),
    )
    batch = []
    for cid in range(1, s.communities + 1):
        published, subscribers = plan.at(plan.community_age[cid - 1]), tally.subscribers[cid]
        batch.append(
            (
                cid,
                f"community{cid}",
                f"Community {cid}",
                f"{base}/c/community{cid}",
                here.instance_id,
                True,
                published,
                f"The sidebar of community {cid}.",
                subscribers,
                subscribers,
                tally.community_posts[cid],
                tally.community_comments[cid],
                active["day"].get(cid, 0),
                active["week"].get(cid, 0),
                active["month"].get(cid, 0),
                active["half_year"].get(cid, 0),
                ranking.community_hot_rank(subscribers, published, plan.now),
            )
        )
    progress("communities", await communities.write(batch))
    mods = rows.Writer(conn, CommunityModerator.__table__, ("community_id", "person_id", "rank"))
    await mods.write((cid, plan.moderator[cid - 1], 0) for cid in range(1, s.communities + 1))
    follows = rows.Writer(conn, CommunityFollower.__table__, ("community_id", "person_id", "pending"))
    for start in range(0, len(plan.follows), 50_000):
        chunk = plan.follows[start : start + 50_000]
        progress("follows", await follows.write((cid, pid, False) for cid, pid in chunk))


async def _posts(conn: AsyncConnection, here: LocalInstance, plan: Plan, tally: Tally, progress: Progress) -> None:
    base, now = here.base_url, plan.now
    active_month = tally.active_users("month")[0]
    posts = rows.Writer(
        conn,
        Post.__table__,
        (
            "id",
            "name",
            "body",
            "creator_id",
            "community_id",
            "ap_id",
            "local",
            "published",
            "comments",
            "score",
            "upvotes",
            "downvotes",
            "newest_comment_time",
            "newest_comment_time_necro",
            "hot_rank",
            "hot_rank_active",
            "scaled_rank",
            "controversy_rank",
        ),
    )
    comments = rows.Writer(
        conn,
        Comment.__table__,
        (
            "id",
            "creator_id",
            "post_id",
            "parent_id",
            "content",
            "ap_id",
            "local",
            "path",
            "depth",
            "published",
            "child_count",
            "score",
            "upvotes",
            "downvotes",
            "hot_rank",
            "controversy_rank",
        ),
    )
    post_likes = rows.Writer(conn, PostLike.__table__, ("post_id", "person_id", "score", "published"))
    comment_likes = rows.Writer(conn, CommentLike.__table__, ("comment_id", "person_id", "score", "published"))
    batch: dict[rows.Writer, list[tuple]] = {posts: [], comments: [], post_likes: [], comment_likes: []}
    comment_id = 0

    async def flush() -> None:
        for writer, phase in (
            (posts, "posts"),
            (comments, "comments"),
            (post_likes, "post votes"),
            (comment_likes, "comment votes"),
        ):
            progress(phase, await writer.write(batch[writer]))
            batch[writer] = []

    for post_id in range(1, plan.sizes.posts + 1):
        index = post_id - 1
        ev = events(plan, post_id)
        shape = stream(plan, post_id, 1)
        cid, creator = plan.post_community[index], plan.post_creator[index]
        published = plan.at(plan.post_age[index])
        newest = necro = published
        thread: list[tuple[int, str, int]] = []  # (id, path, depth) of the post's comments so far
        children: dict[int, int] = {}
        made: list[list[Any]] = []
        for offset, author, voters in zip(ev.offsets, ev.authors, ev.comment_votes, strict=True):
            comment_id += 1
            parent_id, parent_path, depth = None, "0", 0
            if thread and shape.random() < 0.6:
                pick = thread[int(len(thread) * shape.random() ** 0.5)]
                if pick[2] < 48:  # favour recent comments as parents; threads stop at depth 48
                    parent_id, parent_path, depth = pick[0], pick[1], pick[2] + 1
            path = f"{parent_path}.{comment_id}"
            for ancestor in path.split(".")[1:-1]:
                children[int(ancestor)] = children.get(int(ancestor), 0) + 1
            at = plan.at(plan.post_age[index] - offset)
            thread.append((comment_id, path, depth))
            ups = sum(1 for v in voters.values() if v > 0)
            downs = len(voters) - ups
            made.append(
                [
                    comment_id,
                    author,
                    post_id,
                    parent_id,
                    f"Comment {comment_id} on post {post_id}.",
                    f"{base}/comment/{comment_id}",
                    True,
                    path,
                    depth,
                    at,
                    0,
                    ups - downs,
                    ups,
                    downs,
                    ranking.hot_rank(ups - downs, at, now),
                    ranking.controversy_rank(ups, downs),
                ]
            )
            batch[comment_likes] += [(comment_id, voter, score, at) for voter, score in voters.items()]
            newest = max(newest, at)
            if author != creator and (at - published).total_seconds() <= 2 * 86_400:
                necro = max(necro, at)
        for row in made:
            row[10] = children.get(row[0], 0)
            batch[comments].append(tuple(row))
        ups = sum(1 for v in ev.post_votes.values() if v > 0)
        downs = len(ev.post_votes) - ups
        score = ups - downs
        batch[posts].append(
            (
                post_id,
                f"Post number {post_id} in community {cid}",
                f"The body of post {post_id}.",
                creator,
                cid,
                f"{base}/post/{post_id}",
                True,
                published,
                len(made),
                score,
                ups,
                downs,
                newest,
                necro,
                ranking.hot_rank(score, published, now),
                ranking.hot_rank(score, necro, now),
                ranking.scaled_rank(score, published, now, active_month.get(cid, 0)),
                ranking.controversy_rank(ups, downs),
            )
        )
        batch[post_likes] += [(post_id, voter, vote, published) for voter, vote in ev.post_votes.items()]
        if len(batch[comments]) >= FLUSH_COMMENTS or len(batch[posts]) >= 5_000:
            await flush()
    await flush()


async def _site(conn: AsyncConnection, here: LocalInstance, plan: Plan, tally: Tally) -> None:
    site_active = {
        f"users_active_{name}": tally.active_users(name)[1] for name in ("day", "week", "month", "half_year")
    }
    await conn.execute(
        update(LocalSite)
        .where(LocalSite.id == here.local_site_id)
        .values(
            users=min(plan.sizes.persons, LOGINS),
            posts=plan.sizes.posts,
            comments=tally.comments,
            communities=plan.sizes.communities,
            **site_active,
        )
    )
    if conn.dialect.name == "postgresql":
        for table in ("person", "community", "post", "comment", "local_user"):
            await conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )


async def _analyze(engine: AsyncEngine) -> None:
    """Statistics for the planner, and on PostgreSQL the visibility map and hint bits a bulk load leaves unset
    (a real instance's tables are vacuumed; without it, the first reads would write)."""
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("VACUUM (ANALYZE)")
        else:
            await conn.exec_driver_sql("ANALYZE")
            await conn.commit()
