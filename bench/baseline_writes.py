"""The hand-written baseline for the writes: create a comment and vote on a post, as one would write them with
no framework beyond Starlette, asyncpg and orjson, on Agora's own schema. No Agora code is imported.

Each endpoint authenticates the way Agora does (an HS256 JWT whose hash must be a stored login token), checks the
same rules (post and community there and open, the member not banned from it, a parent in the same post), writes
the same rows in one transaction and answers the written object's view:

- POST /api/v3/comment: the comment (path and ActivityPub id from its id), the author's own upvote, +1 child on
  each ancestor, the post's comment count, newest-comment time and four ranks, the author's comment count and
  score, the community's comment count (when the post is visible), the site's count in a counter shard, and a reply
  notification for a local recipient other than the author. Two statements: one read, one write, whose
  unreferenced sub-statements PostgreSQL runs in the order written: the counts in Agora's order (community, site
  shard, person), so that neither server deadlocks the other's transactions still in flight.
- POST /api/v3/post/like: the vote (stored, changed or withdrawn), the post's counts and ranks under its row lock,
  and the post author's score. Two statements.

Neither writes an outbox row here: the bench sets have no remote followers, and Agora writes none for them either.

    python bench/baseline_writes.py --database-url postgresql://postgres@127.0.0.1/agora_bench_small --port 8702
"""

from __future__ import annotations

import hashlib
import math
import os
import random
from datetime import UTC, datetime
from typing import Any

import asyncpg
import baselines  # bench/baselines.py: the script's own directory is on sys.path
import jwt
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SHARDS = 16
WINDOW_HOURS = 7 * 24
NECRO_SECONDS = 2 * 24 * 3600


def hot(score: int, at: datetime, now: datetime) -> float:
    hours = (now - at).total_seconds() / 3600
    if hours < 0 or hours >= WINDOW_HOURS:
        return 0.0
    return math.log10(max(2, score + 2)) / math.pow(hours + 2, 1.8)


def controversy(up: int, down: int) -> float:
    return 0.0 if up <= 0 or down <= 0 else math.pow(up + down, min(up, down) / max(up, down))


def ranks(score: int, up: int, down: int, published: datetime, necro: datetime, active_month: int) -> list[float]:
    now = datetime.now(UTC)
    rank = hot(score, published, now)
    return [rank, hot(score, necro, now), rank / math.log10(2 + max(0, active_month)), controversy(up, down)]


def error(status: int, code: str) -> Response:
    return Response(orjson.dumps({"error": code}), status, media_type="application/json")


def refusal(target: asyncpg.Record | None) -> Response | None:
    """The error for a post that is gone, in a closed community, or whose community banned the member; else None."""
    if target is None or target["gone"] or target["closed"]:
        return error(404, "couldnt_find_post")
    if target["banned"]:
        return error(400, "banned_from_community")
    return None


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


MEMBER = """SELECT p.id, p.banned, p.deleted FROM local_user u JOIN person p ON p.id = u.person_id
JOIN login_token t ON t.user_id = u.id WHERE u.id = $1 AND t.token_hash = $2"""

COMMENT_TARGET = """SELECT p.creator_id, p.community_id, p.locked, p.removed OR p.deleted AS gone, p.score, p.upvotes,
 p.downvotes, p.published, p.newest_comment_time_necro, c.users_active_month, c.removed OR c.deleted AS closed,
 EXISTS (SELECT 1 FROM community_person_ban b WHERE b.community_id = c.id AND b.person_id = $2
         AND (b.expires IS NULL OR b.expires > now())) AS banned,
 parent.id AS parent_id, parent.post_id AS parent_post, parent.path AS parent_path, parent.depth AS parent_depth,
 parent.locked AS parent_locked,
 (SELECT lu.person_id FROM local_user lu WHERE lu.person_id = coalesce(parent.creator_id, p.creator_id)
  AND lu.person_id <> $2) AS recipient
FROM post p JOIN community c ON c.id = p.community_id LEFT JOIN comment parent ON parent.id = $3
WHERE p.id = $1"""

COMMENT_WRITE = """WITH new AS (SELECT nextval('comment_id_seq')::int AS id),
c AS (INSERT INTO comment (id, creator_id, post_id, parent_id, content, removed, deleted, ap_id, local, path, depth,
        distinguished, locked, language_id, published, score, upvotes, downvotes, child_count, hot_rank,
        controversy_rank)
      SELECT id, $1, $2, $3, $4, false, false, $5 || id, true, $6 || id, $7, false, $8, 0, $9, 1, 1, 0, 0, $10, 0
      FROM new RETURNING id),
l AS (INSERT INTO comment_like (comment_id, person_id, score, published) SELECT id, $1, 1, $9 FROM c),
a AS (UPDATE comment SET child_count = child_count + 1 WHERE id = ANY($11::int[])),
pu AS (UPDATE post SET comments = comments + 1, newest_comment_time = $9,
         newest_comment_time_necro = coalesce($12, newest_comment_time_necro),
         hot_rank = $13, hot_rank_active = $14, scaled_rank = $15, controversy_rank = $16
       WHERE id = $2 RETURNING NOT (deleted OR removed) AS visible),
co AS (UPDATE community SET comments = comments + 1 WHERE id = $17 AND (SELECT visible FROM pu)),
s AS (INSERT INTO counter_shard (scope, row_id, name, shard, value) VALUES ('local_site', 1, 'comments', $18, 1)
      ON CONFLICT (scope, row_id, name, shard) DO UPDATE SET value = counter_shard.value + 1),
pe AS (UPDATE person SET comment_count = comment_count + 1, comment_score = comment_score + 1 WHERE id = $1),
r AS (INSERT INTO comment_reply (recipient_id, comment_id, read, published)
      SELECT $19::int, id, false, $9 FROM c WHERE $19::int IS NOT NULL)
SELECT id FROM c"""

COMMENT_VIEW = """SELECT cm.id, cm.creator_id, cm.post_id, cm.content, cm.removed, cm.published, cm.updated, cm.deleted,
 cm.ap_id, cm.local, cm.path, cm.distinguished, cm.language_id, cm.score, cm.upvotes, cm.downvotes, cm.child_count,
 u.name AS u_name, u.display_name, u.avatar, u.banned AS u_banned, u.published AS u_published, u.actor_id AS u_actor,
 u.local AS u_local, u.deleted AS u_deleted, u.bot_account, u.instance_id AS u_instance,
 p.name AS p_name, p.url, p.body, p.creator_id AS p_creator, p.community_id, p.removed AS p_removed,
 p.locked AS p_locked, p.published AS p_published, p.deleted AS p_deleted, p.nsfw AS p_nsfw, p.ap_id AS p_ap_id,
 p.local AS p_local, p.language_id AS p_language, p.featured_community, p.featured_local,
 c.name AS c_name, c.title, c.description, c.removed AS c_removed, c.published AS c_published,
 c.deleted AS c_deleted, c.nsfw AS c_nsfw, c.actor_id AS c_actor, c.local AS c_local, c.hidden,
 c.posting_restricted_to_mods, c.instance_id AS c_instance, c.visibility,
 EXISTS (SELECT 1 FROM community_moderator m WHERE m.community_id = c.id AND m.person_id = u.id) AS moderator,
 EXISTS (SELECT 1 FROM local_user a WHERE a.person_id = u.id AND a.admin) AS admin,
 (SELECT f.pending FROM community_follower f WHERE f.community_id = c.id AND f.person_id = $2) AS pending,
 EXISTS (SELECT 1 FROM comment_saved s WHERE s.comment_id = cm.id AND s.person_id = $2) AS saved,
 (SELECT l.score FROM comment_like l WHERE l.comment_id = cm.id AND l.person_id = $2) AS my_vote
FROM comment cm JOIN person u ON u.id = cm.creator_id JOIN post p ON p.id = cm.post_id
JOIN community c ON c.id = p.community_id WHERE cm.id = $1"""

VOTE_TARGET = """SELECT p.creator_id, p.locked, p.removed OR p.deleted AS gone, p.score, p.upvotes, p.downvotes,
 p.published, p.newest_comment_time_necro, c.users_active_month, c.removed OR c.deleted AS closed,
 EXISTS (SELECT 1 FROM community_person_ban b WHERE b.community_id = c.id AND b.person_id = $2
         AND (b.expires IS NULL OR b.expires > now())) AS banned,
 coalesce((SELECT l.score FROM post_like l WHERE l.post_id = p.id AND l.person_id = $2), 0) AS previous
FROM post p JOIN community c ON c.id = p.community_id WHERE p.id = $1 FOR NO KEY UPDATE OF p"""

VOTE_WRITE = """WITH stored AS (INSERT INTO post_like (post_id, person_id, score, published)
        SELECT $1, $2, $3, now() WHERE $3 <> 0
        ON CONFLICT (post_id, person_id) DO UPDATE SET score = excluded.score),
gone AS (DELETE FROM post_like WHERE post_id = $1 AND person_id = $2 AND $3 = 0),
pu AS (UPDATE post SET score = score + $4, upvotes = upvotes + $5, downvotes = downvotes + $6, hot_rank = $7,
         hot_rank_active = $8, scaled_rank = $9, controversy_rank = $10 WHERE id = $1),
pe AS (UPDATE person SET post_score = post_score + $4 WHERE id = $11 AND $4 <> 0)
SELECT 1"""

POST_VIEW = """SELECT p.id, p.name, p.url, p.body, p.creator_id, p.community_id, p.removed, p.locked, p.published,
 p.updated, p.deleted, p.nsfw, p.thumbnail_url, p.ap_id, p.local, p.language_id, p.featured_community,
 p.featured_local, p.comments, p.score, p.upvotes, p.downvotes, p.newest_comment_time,
 u.name AS u_name, u.banned AS u_banned, u.published AS u_published, u.actor_id AS u_actor, u.local AS u_local,
 u.deleted AS u_deleted, u.bot_account, u.instance_id AS u_instance,
 c.name AS c_name, c.title, c.removed AS c_removed, c.published AS c_published, c.deleted AS c_deleted,
 c.nsfw AS c_nsfw, c.actor_id AS c_actor, c.local AS c_local, c.hidden, c.instance_id AS c_instance, c.visibility,
 EXISTS (SELECT 1 FROM community_moderator m WHERE m.community_id = c.id AND m.person_id = u.id) AS moderator,
 EXISTS (SELECT 1 FROM local_user a WHERE a.person_id = u.id AND a.admin) AS admin,
 (SELECT f.pending FROM community_follower f WHERE f.community_id = c.id AND f.person_id = $2) AS pending,
 EXISTS (SELECT 1 FROM post_saved s WHERE s.post_id = p.id AND s.person_id = $2) AS saved,
 (SELECT l.score FROM post_like l WHERE l.post_id = p.id AND l.person_id = $2) AS my_vote
FROM post p JOIN person u ON u.id = p.creator_id JOIN community c ON c.id = p.community_id WHERE p.id = $1"""


COMMENT_FIELDS = [
    "id",
    "creator_id",
    "post_id",
    "content",
    "removed",
    "published",
    "updated",
    "deleted",
    "ap_id",
    "local",
    "path",
    "distinguished",
    "language_id",
]
POST_FIELDS = [
    "id",
    "name",
    "url",
    "body",
    "creator_id",
    "community_id",
    "removed",
    "locked",
    "published",
    "updated",
    "deleted",
    "nsfw",
    "thumbnail_url",
    "ap_id",
    "local",
    "language_id",
    "featured_community",
    "featured_local",
]


def subscribed(pending: bool | None) -> str:
    return "NotSubscribed" if pending is None else ("Pending" if pending else "Subscribed")


def person_json(r: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": r["creator_id"],
        "name": r["u_name"],
        "banned": r["u_banned"],
        "published": iso(r["u_published"]),
        "actor_id": r["u_actor"],
        "local": r["u_local"],
        "deleted": r["u_deleted"],
        "bot_account": r["bot_account"],
        "instance_id": r["u_instance"],
    }


def community_json(r: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": r["community_id"],
        "name": r["c_name"],
        "title": r["title"],
        "removed": r["c_removed"],
        "published": iso(r["c_published"]),
        "deleted": r["c_deleted"],
        "nsfw": r["c_nsfw"],
        "actor_id": r["c_actor"],
        "local": r["c_local"],
        "hidden": r["hidden"],
        "instance_id": r["c_instance"],
        "visibility": r["visibility"],
    }


def comment_view(r: asyncpg.Record) -> dict[str, Any]:
    community = community_json(r)
    community["description"] = r["description"]
    community["posting_restricted_to_mods"] = r["posting_restricted_to_mods"]
    return {
        "comment_view": {
            "comment": {
                k: iso(r[k]) if k in ("published", "updated") else r[k] for k in COMMENT_FIELDS if r[k] is not None
            },
            "creator": person_json(r),
            "post": {
                "id": r["post_id"],
                "name": r["p_name"],
                "body": r["body"],
                "creator_id": r["p_creator"],
                "community_id": r["community_id"],
                "removed": r["p_removed"],
                "locked": r["p_locked"],
                "published": iso(r["p_published"]),
                "deleted": r["p_deleted"],
                "nsfw": r["p_nsfw"],
                "ap_id": r["p_ap_id"],
                "local": r["p_local"],
                "language_id": r["p_language"],
                "featured_community": r["featured_community"],
                "featured_local": r["featured_local"],
            },
            "community": community,
            "counts": {
                "comment_id": r["id"],
                "score": r["score"],
                "upvotes": r["upvotes"],
                "downvotes": r["downvotes"],
                "published": iso(r["published"]),
                "child_count": r["child_count"],
            },
            "creator_banned_from_community": False,
            "banned_from_community": False,
            "creator_is_moderator": r["moderator"],
            "creator_is_admin": r["admin"],
            "subscribed": subscribed(r["pending"]),
            "saved": r["saved"],
            "creator_blocked": False,
            "my_vote": r["my_vote"],
        },
        "recipient_ids": [],
    }


def post_view(r: asyncpg.Record) -> dict[str, Any]:
    post = {k: iso(r[k]) if k in ("published", "updated") else r[k] for k in POST_FIELDS if r[k] is not None}
    return {
        "post_view": {
            "post": post,
            "creator": person_json(r),
            "community": community_json(r),
            "image_details": None,
            "creator_banned_from_community": False,
            "banned_from_community": False,
            "creator_is_moderator": r["moderator"],
            "creator_is_admin": r["admin"],
            "counts": {
                "post_id": r["id"],
                "comments": r["comments"],
                "score": r["score"],
                "upvotes": r["upvotes"],
                "downvotes": r["downvotes"],
                "published": iso(r["published"]),
                "newest_comment_time": iso(r["newest_comment_time"]),
            },
            "subscribed": subscribed(r["pending"]),
            "saved": r["saved"],
            "read": False,
            "hidden": False,
            "creator_blocked": False,
            "my_vote": r["my_vote"],
            "unread_comments": 0,
        }
    }


class Baseline:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.pool: asyncpg.Pool | None = None
        self.secret = ""
        self.domain = ""
        self.base_url = ""

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def start(self) -> None:
        self.pool = await asyncpg.create_pool(self.database_url, min_size=2, max_size=10)
        async with self.pool.acquire() as db:
            self.secret = await db.fetchval("SELECT jwt_secret FROM secret LIMIT 1")
            actor = await db.fetchval("SELECT actor_id FROM site ORDER BY id LIMIT 1")
        self.base_url = actor.rstrip("/")
        self.domain = self.base_url.split("://", 1)[1]

    async def member(self, db: asyncpg.Connection, request: Request) -> int | None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], issuer=self.domain)
            user_id = int(claims["sub"])
        except (jwt.PyJWTError, ValueError, KeyError):
            return None
        row = await db.fetchrow(MEMBER, user_id, hashlib.sha256(token.encode()).hexdigest())
        return None if row is None or row["banned"] or row["deleted"] else row["id"]

    async def create_comment(self, request: Request) -> Response:
        form = orjson.loads(await request.body())
        assert self.pool is not None
        async with self.pool.acquire() as db:
            person = await self.member(db, request)
            if person is None:
                return error(401, "incorrect_login")
            async with db.transaction():
                target = await db.fetchrow(COMMENT_TARGET, form["post_id"], person, form.get("parent_id"))
                if (refused := refusal(target)) is not None:
                    return refused
                if target["locked"]:
                    return error(400, "locked")
                parent_path, depth, locked, ancestors = "0.", 0, False, []
                if form.get("parent_id") is not None:
                    if target["parent_post"] != form["post_id"]:
                        return error(400, "couldnt_create_comment")
                    parent_path = target["parent_path"] + "."
                    depth, locked = target["parent_depth"] + 1, target["parent_locked"]
                    ancestors = [int(part) for part in target["parent_path"].split(".")[1:]]
                now = datetime.now(UTC)
                fresh = (now - target["published"]).total_seconds() <= NECRO_SECONDS
                necro = now if person != target["creator_id"] and fresh else None
                score, up, down = target["score"], target["upvotes"], target["downvotes"]
                post_ranks = ranks(
                    score,
                    up,
                    down,
                    target["published"],
                    necro or target["newest_comment_time_necro"],
                    target["users_active_month"],
                )
                comment_id = await db.fetchval(
                    COMMENT_WRITE,
                    person,
                    form["post_id"],
                    form.get("parent_id"),
                    form["content"],
                    f"{self.base_url}/comment/",
                    parent_path,
                    depth,
                    locked,
                    now,
                    hot(1, now, now),
                    ancestors,
                    necro,
                    *post_ranks,
                    target["community_id"],
                    random.randrange(SHARDS),
                    target["recipient"],
                )
            view = await db.fetchrow(COMMENT_VIEW, comment_id, person)
        return Response(orjson.dumps(comment_view(view)), media_type="application/json")

    async def vote_post(self, request: Request) -> Response:
        form = orjson.loads(await request.body())
        post_id, score = form["post_id"], form["score"]
        assert self.pool is not None
        async with self.pool.acquire() as db:
            person = await self.member(db, request)
            if person is None:
                return error(401, "incorrect_login")
            async with db.transaction():
                target = await db.fetchrow(VOTE_TARGET, post_id, person)
                if (refused := refusal(target)) is not None:
                    return refused
                previous = target["previous"]
                d_score = score - previous
                d_up = (score == 1) - (previous == 1)
                d_down = (score == -1) - (previous == -1)
                new_score, up, down = target["score"] + d_score, target["upvotes"] + d_up, target["downvotes"] + d_down
                post_ranks = ranks(
                    new_score,
                    up,
                    down,
                    target["published"],
                    target["newest_comment_time_necro"],
                    target["users_active_month"],
                )
                await db.execute(
                    VOTE_WRITE, post_id, person, score, d_score, d_up, d_down, *post_ranks, target["creator_id"]
                )
            view = await db.fetchrow(POST_VIEW, post_id, person)
        return Response(orjson.dumps(post_view(view)), media_type="application/json")


def from_env() -> Starlette:
    """The app, for uvicorn's workers, which import it by name (`baselines.serve`)."""
    baseline = Baseline(os.environ[baselines.DATABASE_URL])
    routes = [
        Route("/api/v3/comment", baseline.create_comment, methods=["POST"]),
        Route("/api/v3/post/like", baseline.vote_post, methods=["POST"]),
    ]
    return baselines.app(baseline, routes)


if __name__ == "__main__":
    baselines.serve("baseline_writes", __doc__, 8702)
