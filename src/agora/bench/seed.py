"""Fill a database with an instance's worth of content, written in bulk but exactly as the app would leave it:
every aggregate, rank, comment path and vote row consistent (tests/bench/test_seed.py recounts them).

The shape is skewed like a real forum: community sizes and post comment counts follow a Zipf-like law, a few hot
posts carry 5,000+ comments in deep and wide threads, votes cluster on popular posts, and one member ("bench0")
follows 50 communities for the Subscribed front page.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from agora.bench import rows
from agora.config import Settings
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

PASSWORD = "benchmark password"
HOT_POST_COMMENTS = 5_000
SUBSCRIBER = "bench0"
Progress = Callable[[str, int], None]  # (phase, rows written since last call)


@dataclass(slots=True)
class Sizes:
    posts: int
    comments: int
    communities: int
    persons: int
    seed: int = 1


PRESETS = {
    "small": Sizes(posts=10_000, comments=100_000, communities=200, persons=5_000),
    "medium": Sizes(posts=100_000, comments=1_000_000, communities=1_000, persons=20_000),
    "large": Sizes(posts=1_000_000, comments=10_000_000, communities=10_000, persons=100_000),
}


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (k + 1) ** s for k in range(n)]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


async def has_content(settings: Settings) -> bool:
    engine = open_admin_engine(settings)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(select(Person.id).limit(1))
            return found.first() is not None
    finally:
        await engine.dispose()


def total_rows(s: Sizes) -> int:
    return s.persons + s.communities + s.posts * 3 + s.comments * 2


async def seed(settings: Settings, sizes: Sizes, progress: Progress) -> dict[str, int]:
    """Write the dataset into an empty, migrated database; answers the row counts written."""
    rng = random.Random(sizes.seed)
    now = datetime.now(UTC)
    engine = open_admin_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
            here = await bootstrap(session, settings)
        passwords.configure(time_cost=1, memory_kib=1024, parallelism=1)
        password_hash = await passwords.hash_password(PASSWORD)
        async with engine.begin() as conn:
            counts = await _write(conn, here, sizes, rng, now, password_hash, progress)
        return counts
    finally:
        await engine.dispose()


async def _write(conn: AsyncConnection, here, sizes: Sizes, rng: random.Random, now, password_hash, progress):
    base = here.base_url
    # --- people -----------------------------------------------------------------------------------------------
    person_ids = list(range(1, sizes.persons + 1))
    person_rows = [
        {"id": pid, "name": f"bench{pid - 1}", "actor_id": f"{base}/u/bench{pid - 1}", "instance_id": here.instance_id,
         "local": True, "published": now - timedelta(days=rng.uniform(30, 900))}
        for pid in person_ids
    ]  # fmt: skip
    await rows.insert(conn, Person.__table__, person_rows)
    login_ids = person_ids[: min(len(person_ids), 1000)]
    users = [
        {"id": pid, "person_id": pid, "password_encrypted": password_hash, "accepted_application": True,
         "email_verified": True, "show_read_posts": True}
        for pid in login_ids
    ]  # fmt: skip
    await rows.insert(conn, LocalUser.__table__, users)
    progress("persons", sizes.persons)

    # --- communities, moderators, subscriptions ----------------------------------------------------------------
    community_ids = list(range(1, sizes.communities + 1))
    community_published = {cid: now - timedelta(days=rng.uniform(60, 1400)) for cid in community_ids}
    mods = {cid: rng.choice(person_ids) for cid in community_ids}
    await rows.insert(conn, Community.__table__, [
        {"id": cid, "name": f"community{cid}", "title": f"Community {cid}", "actor_id": f"{base}/c/community{cid}",
         "instance_id": here.instance_id, "local": True, "published": community_published[cid],
         "description": f"The sidebar of community {cid}."}
        for cid in community_ids
    ])  # fmt: skip
    await rows.insert(conn, CommunityModerator.__table__, [
        {"community_id": cid, "person_id": mods[cid], "rank": 0} for cid in community_ids
    ])  # fmt: skip
    community_weights = _cumulative(zipf_weights(sizes.communities))
    follows: set[tuple[int, int]] = set()
    for pid in person_ids:
        for cid in rng.choices(community_ids, cum_weights=community_weights, k=rng.randint(1, 8)):
            follows.add((cid, pid))
    for cid in community_ids[:50]:
        follows.add((cid, 1))  # bench0 follows 50 communities
    for cid, mod in mods.items():
        follows.add((cid, mod))
    await rows.insert(conn, CommunityFollower.__table__, [
        {"community_id": cid, "person_id": pid, "pending": False} for cid, pid in sorted(follows)
    ])  # fmt: skip
    subscribers = defaultdict(int)
    for cid, _ in follows:
        subscribers[cid] += 1
    progress("communities", sizes.communities)

    # --- posts ---------------------------------------------------------------------------------------------------
    post_ids = list(range(1, sizes.posts + 1))
    post_community = dict(zip(post_ids, rng.choices(community_ids, cum_weights=community_weights, k=sizes.posts),
                              strict=True))  # fmt: skip
    post_creator = {p: rng.choice(person_ids) for p in post_ids}
    # recent posts are more common than old ones: exponential ages, mean 60 days, within a year
    post_published = {p: now - timedelta(days=min(365.0, rng.expovariate(1 / 60))) for p in post_ids}

    # --- comment counts per post: a few hot posts with 5,000+, then a long tail -------------------------------------
    hot = min(10, sizes.comments // (HOT_POST_COMMENTS * 4)) if sizes.comments >= HOT_POST_COMMENTS else 0
    per_post = defaultdict(int)
    hot_posts = post_ids[:hot]
    for p in hot_posts:
        per_post[p] = HOT_POST_COMMENTS
    rest = sizes.comments - hot * HOT_POST_COMMENTS
    tail = post_ids[hot:] or post_ids
    tail_weights = _cumulative(zipf_weights(len(tail), 0.8))
    order = tail[:]
    rng.shuffle(order)  # which posts get many comments is independent of their id
    for p in rng.choices(order, cum_weights=tail_weights, k=max(0, rest)):
        per_post[p] += 1
    for p in hot_posts:
        post_published[p] = now - timedelta(hours=rng.uniform(2, 20))

    # --- comments, with paths, depths and child counts --------------------------------------------------------------
    comment_rows: list[dict] = []
    post_comment_count = defaultdict(int)
    newest = dict(post_published)
    newest_necro = dict(post_published)
    comment_id = 0
    community_comments = defaultdict(int)
    person_comment = defaultdict(int)
    for p in post_ids:
        n = per_post.get(p, 0)
        if not n:
            continue
        in_post: list[tuple[int, str, int]] = []  # (id, path, depth)
        span = max(60.0, (now - post_published[p]).total_seconds())
        times = sorted(rng.uniform(0, span) for _ in range(n))
        child = defaultdict(int)
        for offset in times:
            comment_id += 1
            if in_post and rng.random() < 0.6:
                parent_id, parent_path, parent_depth = in_post[int(len(in_post) * rng.random() ** 0.5)]
                if parent_depth >= 48:
                    parent_id, parent_path, parent_depth = None, "0", -1
            else:
                parent_id, parent_path, parent_depth = None, "0", -1
            path = f"{parent_path}.{comment_id}"
            depth = parent_depth + 1
            for ancestor in path.split(".")[1:-1]:
                child[int(ancestor)] += 1
            published = post_published[p] + timedelta(seconds=offset)
            creator = rng.choice(person_ids)
            in_post.append((comment_id, path, depth))
            comment_rows.append({
                "id": comment_id, "creator_id": creator, "post_id": p, "parent_id": parent_id,
                "content": f"Comment {comment_id} on post {p}.", "ap_id": f"{base}/comment/{comment_id}",
                "local": True, "path": path, "depth": depth, "published": published,
            })  # fmt: skip
            post_comment_count[p] += 1
            community_comments[post_community[p]] += 1
            person_comment[creator] += 1
            newest[p] = max(newest[p], published)
            if creator != post_creator[p] and published - post_published[p] <= timedelta(days=2):
                newest_necro[p] = max(newest_necro[p], published)
        for row in comment_rows[-n:]:
            row["child_count"] = child.get(row["id"], 0)

    # --- votes: the creator's own upvote plus a popularity-skewed crowd -----------------------------------------------
    post_likes: list[dict] = []
    post_votes: dict[int, tuple[int, int]] = {}
    for p in post_ids:
        voters = {post_creator[p]: 1}
        crowd = min(len(person_ids) - 1, int(rng.paretovariate(1.3)) + post_comment_count[p] // 20)
        for voter in rng.sample(person_ids, k=min(crowd, 200)):
            voters.setdefault(voter, 1 if rng.random() < 0.85 else -1)
        ups = sum(1 for s in voters.values() if s > 0)
        post_votes[p] = (ups, len(voters) - ups)
        post_likes += [{"post_id": p, "person_id": v, "score": s, "published": post_published[p]}
                       for v, s in voters.items()]  # fmt: skip
    comment_likes: list[dict] = []
    comment_votes: dict[int, tuple[int, int]] = {}
    for row in comment_rows:
        voters = {row["creator_id"]: 1}
        if rng.random() < 0.3:
            voter = rng.choice(person_ids)
            voters.setdefault(voter, 1 if rng.random() < 0.8 else -1)
        ups = sum(1 for s in voters.values() if s > 0)
        comment_votes[row["id"]] = (ups, len(voters) - ups)
        comment_likes += [{"comment_id": row["id"], "person_id": v, "score": s, "published": row["published"]}
                          for v, s in voters.items()]  # fmt: skip

    # --- aggregates and ranks, then the rows ------------------------------------------------------------------------
    active_month = defaultdict(set)
    month_ago = now - timedelta(days=30)
    for p in post_ids:
        if post_published[p] >= month_ago:
            active_month[post_community[p]].add(post_creator[p])
    for row in comment_rows:
        if row["published"] >= month_ago:
            active_month[post_community[row["post_id"]]].add(row["creator_id"])
    person_posts, person_post_score, community_posts = defaultdict(int), defaultdict(int), defaultdict(int)
    post_rows = []
    for p in post_ids:
        ups, downs = post_votes[p]
        score = ups - downs
        cid = post_community[p]
        person_posts[post_creator[p]] += 1
        person_post_score[post_creator[p]] += score
        community_posts[cid] += 1
        post_rows.append({
            "id": p, "name": f"Post number {p} in community {cid}", "body": f"The body of post {p}.",
            "creator_id": post_creator[p], "community_id": cid, "ap_id": f"{base}/post/{p}", "local": True,
            "published": post_published[p], "comments": post_comment_count[p], "score": score, "upvotes": ups,
            "downvotes": downs, "newest_comment_time": newest[p], "newest_comment_time_necro": newest_necro[p],
            "hot_rank": ranking.hot_rank(score, post_published[p], now),
            "hot_rank_active": ranking.hot_rank(score, newest_necro[p], now),
            "scaled_rank": ranking.scaled_rank(score, post_published[p], now, len(active_month[cid])),
            "controversy_rank": ranking.controversy_rank(ups, downs),
        })  # fmt: skip
    for start in range(0, len(post_rows), rows.CHUNK):
        await rows.insert(conn, Post.__table__, post_rows[start : start + rows.CHUNK])
        progress("posts", len(post_rows[start : start + rows.CHUNK]))
    person_comment_score = defaultdict(int)
    for row in comment_rows:
        ups, downs = comment_votes[row["id"]]
        row.update(score=ups - downs, upvotes=ups, downvotes=downs,
                   hot_rank=ranking.hot_rank(ups - downs, row["published"], now),
                   controversy_rank=ranking.controversy_rank(ups, downs))  # fmt: skip
        person_comment_score[row["creator_id"]] += ups - downs
    for start in range(0, len(comment_rows), rows.CHUNK):
        chunk = comment_rows[start : start + rows.CHUNK]
        await rows.insert(conn, Comment.__table__, chunk)
        progress("comments", len(chunk))
    for batch, table, phase in ((post_likes, PostLike.__table__, "post votes"),
                                (comment_likes, CommentLike.__table__, "comment votes")):  # fmt: skip
        for start in range(0, len(batch), rows.CHUNK):
            chunk = batch[start : start + rows.CHUNK]
            await rows.insert(conn, table, chunk)
            progress(phase, len(chunk))

    # --- counts on people, communities and the site -----------------------------------------------------------------
    for pid in person_ids:
        values = {"post_count": person_posts[pid], "post_score": person_post_score[pid],
                  "comment_count": person_comment[pid], "comment_score": person_comment_score[pid]}  # fmt: skip
        if any(values.values()):
            await conn.execute(update(Person).where(Person.id == pid).values(**values))
    for cid in community_ids:
        await conn.execute(
            update(Community).where(Community.id == cid).values(
                subscribers=subscribers[cid], subscribers_local=subscribers[cid], posts=community_posts[cid],
                comments=community_comments[cid], users_active_month=len(active_month[cid]),
                users_active_half_year=len(active_month[cid]),
                hot_rank=ranking.community_hot_rank(subscribers[cid], community_published[cid], now),
            )
        )  # fmt: skip
    await conn.execute(
        update(LocalSite).where(LocalSite.id == here.local_site_id).values(
            users=len(login_ids), posts=sizes.posts, comments=len(comment_rows), communities=sizes.communities
        )
    )  # fmt: skip
    if conn.dialect.name == "postgresql":
        for table in ("person", "community", "post", "comment", "local_user"):
            await conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        await conn.exec_driver_sql("ANALYZE")
    return {"persons": sizes.persons, "communities": sizes.communities, "posts": sizes.posts,
            "comments": len(comment_rows), "post_votes": len(post_likes), "comment_votes": len(comment_likes),
            "follows": len(follows), "hot_posts": hot}  # fmt: skip


def elapsed_since(start: float) -> str:
    seconds = time.monotonic() - start
    return f"{int(seconds // 60)}m{seconds % 60:04.1f}s" if seconds >= 60 else f"{seconds:.1f}s"
