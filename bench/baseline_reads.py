"""The hand-written baseline for the uncached reads: the anonymous front page, a member's Subscribed page and a
post's comment tree, as one would write them with no framework beyond Starlette, asyncpg and orjson, on Agora's own
schema. No Agora code is imported; the answers must be byte for byte Agora's (bench/reads.py checks them).

- GET /api/v3/post/list?type_=All&sort=Hot&limit=N, anonymous: one statement, the page's posts with their creator,
  community and the author's badges (banned from the community, its moderator, an admin), in the order of the
  (featured_local, hot_rank, id) index, and the rules an anonymous reader gets: no removed or deleted post or
  community, no NSFW, no hidden, local-only or private community.
- GET /api/v3/post/list?type_=Subscribed&sort=Hot&limit=N, as a member (`Authorization: Bearer` JWT, HS256, whose
  hash must be a stored login token, as Agora checks it): two statements, the member with their settings, then
  the page of the communities they follow (accepted follows of communities neither deleted nor removed nor of an
  instance they blocked), with their own marks (vote, save, read comments, hidden, follow, blocks, bans) and
  their filters (NSFW, bots, read and hidden posts, blocked people, communities and instances' people). A member
  with language or keyword filters is answered 501: this baseline does not implement them.
- GET /api/v3/comment/list?post_id=P&max_depth=D&sort=Hot&type_=All, anonymous: the post and its community, then
  up to 300 comments breadth first (depth, distinguished, hot rank, id), each with its creator and the author's
  badges; the post and community are serialised once and reused; deleted and removed comments keep their place
  with empty content.

Only these requests are answered (anything else: 400).

    python bench/baseline_reads.py --database-url postgresql://postgres@127.0.0.1/agora_bench_small --port 8703
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from typing import Any

import asyncpg
import baselines  # bench/baselines.py: the script's own directory is on sys.path
import jwt
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

OPTIONS = orjson.OPT_UTC_Z
TREE_MAX = 300


def names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The JSON keys of each object, in Lemmy's order; each is also the column of the same name.
POST_KEYS = names(
    "id name url body creator_id community_id removed locked published updated deleted nsfw embed_title"
    " embed_description thumbnail_url ap_id local embed_video_url language_id featured_community featured_local"
    " url_content_type alt_text"
)
PERSON_KEYS = names(
    "id name display_name avatar banned published updated actor_id bio local banner deleted matrix_user_id"
    " bot_account ban_expires instance_id"
)
COMMUNITY_KEYS = names(
    "id name title description removed published updated deleted nsfw actor_id local icon banner hidden"
    " posting_restricted_to_mods instance_id visibility"
)
COMMENT_KEYS = names(
    "id creator_id post_id content removed published updated deleted ap_id local path distinguished language_id"
)
NP, NU, NC, NK = len(POST_KEYS), len(PERSON_KEYS), len(COMMUNITY_KEYS), len(COMMENT_KEYS)


def cols(alias: str, keys: Sequence[str]) -> str:
    return ", ".join(f"{alias}.{key}" for key in keys)


# The author's badges: banned from the community (an unexpired ban), its moderator, an admin (true or null).
BADGES = """(SELECT true FROM community_person_ban b WHERE b.community_id = {c} AND b.person_id = u.id
  AND (b.expires IS NULL OR b.expires > now()) LIMIT 1),
 (SELECT true FROM community_moderator m WHERE m.community_id = {c} AND m.person_id = u.id LIMIT 1),
 (SELECT true FROM local_user a WHERE a.person_id = u.id AND a.admin = true LIMIT 1)"""

POST_ROW = f"""{cols("p", POST_KEYS)}, {cols("u", PERSON_KEYS)}, {cols("c", COMMUNITY_KEYS)},
 p.comments, p.score, p.upvotes, p.downvotes, p.newest_comment_time, {BADGES.format(c="p.community_id")}"""

# The page size is written into the SQL (a statement per size): with `LIMIT $n` the generic plan cannot know it.
FRONT = """SELECT {POST_ROW}
FROM post p JOIN person u ON u.id = p.creator_id JOIN community c ON c.id = p.community_id
WHERE p.removed = false AND p.deleted = false AND p.nsfw = false AND c.removed = false AND c.deleted = false
  AND c.nsfw = false AND c.hidden = false AND c.visibility NOT IN ('LocalOnly', 'Private')
ORDER BY p.featured_local DESC, p.hot_rank DESC, p.id DESC LIMIT {limit}"""

# The member, their settings and the communities their feed shows (accepted follows of communities neither deleted
# nor removed nor of an instance they blocked; NSFW ones only if they show NSFW): one round trip.
MEMBER = """SELECT p.id, u.show_nsfw, u.show_bot_accounts, u.show_read_posts,
 EXISTS (SELECT 1 FROM local_user_language l WHERE l.local_user_id = u.id)
   OR EXISTS (SELECT 1 FROM keyword_filter k WHERE k.local_user_id = u.id) AS unsupported,
 ARRAY(SELECT f.community_id FROM community_follower f JOIN community fc ON fc.id = f.community_id
       WHERE f.person_id = p.id AND f.pending = false AND fc.deleted = false AND fc.removed = false
         AND (u.show_nsfw OR fc.nsfw = false)
         AND NOT EXISTS (SELECT 1 FROM instance_block ib WHERE ib.person_id = p.id
                         AND ib.instance_id = fc.instance_id)) AS feed
FROM local_user u JOIN person p ON p.id = u.person_id JOIN login_token t ON t.user_id = u.id
WHERE u.id = $1 AND t.token_hash = $2 AND p.banned = false AND p.deleted = false"""

# $1 the member's person id, $2 their feed's communities (a list: the plan stays generic, unlike a subquery of
# the follows, whose generic plan read them all); the member's filters are written into the SQL, a statement each.
SUBSCRIBED = """SELECT {POST_ROW},
 (SELECT true FROM community_person_ban b WHERE b.community_id = p.community_id AND b.person_id = $1
  AND (b.expires IS NULL OR b.expires > now()) LIMIT 1),
 (SELECT f.pending FROM community_follower f WHERE f.community_id = p.community_id AND f.person_id = $1 LIMIT 1),
 (SELECT true FROM person_block k WHERE k.person_id = $1 AND k.target_id = u.id LIMIT 1),
 (SELECT l.score FROM post_like l WHERE l.post_id = p.id AND l.person_id = $1),
 EXISTS (SELECT 1 FROM post_saved s WHERE s.post_id = p.id AND s.person_id = $1),
 (SELECT r.read_comments FROM post_read r WHERE r.post_id = p.id AND r.person_id = $1),
 EXISTS (SELECT 1 FROM post_hide h WHERE h.post_id = p.id AND h.person_id = $1)
FROM post p JOIN person u ON u.id = p.creator_id JOIN community c ON c.id = p.community_id
WHERE p.community_id = ANY($2::int[])
  AND p.removed = false AND p.deleted = false{nsfw}{bots}{read}
  AND NOT EXISTS (SELECT 1 FROM post_hide h WHERE h.post_id = p.id AND h.person_id = $1)
  AND NOT EXISTS (SELECT 1 FROM person_block k WHERE k.person_id = $1 AND k.target_id = p.creator_id)
  AND NOT EXISTS (SELECT 1 FROM community_block k WHERE k.person_id = $1 AND k.community_id = p.community_id)
  AND NOT EXISTS (SELECT 1 FROM instance_persons_block k WHERE k.person_id = $1 AND k.instance_id = u.instance_id)
ORDER BY p.featured_local DESC, p.hot_rank DESC, p.id DESC LIMIT {limit}"""

TREE_POST = f"""SELECT {cols("p", POST_KEYS)}, {cols("c", COMMUNITY_KEYS)},
 c.deleted = false AND c.removed = false AND c.visibility NOT IN ('LocalOnly', 'Private') AS visible
FROM post p JOIN community c ON c.id = p.community_id WHERE p.id = $1"""

# $1 the post, $2 its community, $3 the deepest depth shown
TREE = f"""SELECT {cols("k", COMMENT_KEYS)}, {cols("u", PERSON_KEYS)},
 k.score, k.upvotes, k.downvotes, k.child_count, {BADGES.format(c="$2::int")}
FROM comment k JOIN person u ON u.id = k.creator_id
WHERE k.post_id = $1 AND k.depth <= $3
ORDER BY k.depth, k.distinguished DESC, k.hot_rank DESC, k.id DESC LIMIT {TREE_MAX}"""


@cache
def sized(sql: str, limit: int, nsfw: bool = False, bots: bool = True, read: bool = True) -> str:
    """`sql` for a page of `limit` posts and a member who shows NSFW, bots, read posts or not."""
    return sql.format(
        POST_ROW=POST_ROW,
        limit=limit,
        nsfw="" if nsfw else " AND p.nsfw = false",
        bots="" if bots else " AND u.bot_account = false",
        read="" if read else " AND NOT EXISTS (SELECT 1 FROM post_read r WHERE r.post_id = p.id AND r.person_id = $1)",
    )


def error(status: int, code: str) -> Response:
    return Response(orjson.dumps({"error": code}), status, media_type="application/json")


def answer(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body, option=OPTIONS), media_type="application/json")


def present(keys: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """The object's keys whose value is not null (Lemmy's JSON leaves those out)."""
    return {k: v for k, v in zip(keys, values, strict=True) if v is not None}


def subscribed(pending: bool | None) -> str:
    return "NotSubscribed" if pending is None else ("Pending" if pending else "Subscribed")


def post_view(r: Sequence[Any], member: bool) -> dict[str, Any]:
    """A PostView from a row of POST_ROW (then, for a member, their marks)."""
    at = NP + NU + NC
    comments, score, up, down, newest, banned, mod, admin = r[at : at + 8]
    marks = r[at + 8 :]
    viewer_banned, pending, blocked, my_vote, saved, read_comments, hidden = marks or (None,) * 7
    view = {
        "post": present(POST_KEYS, r[:NP]),
        "creator": present(PERSON_KEYS, r[NP : NP + NU]),
        "community": present(COMMUNITY_KEYS, r[NP + NU : at]),
        "creator_banned_from_community": bool(banned),
        "banned_from_community": bool(viewer_banned),
        "creator_is_moderator": bool(mod),
        "creator_is_admin": bool(admin),
        "counts": {
            "post_id": r[0],
            "comments": comments,
            "score": score,
            "upvotes": up,
            "downvotes": down,
            "published": r[8],
            "newest_comment_time": newest,
        },
        "subscribed": subscribed(pending),
        "saved": bool(saved),
        "read": read_comments is not None,
        "hidden": bool(hidden),
        "creator_blocked": bool(blocked),
        "unread_comments": max(0, comments - (read_comments or 0)),
    }
    if my_vote is not None:
        view["my_vote"] = my_vote
    return view


def page(rows: list[Any], member: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"posts": [post_view(r, member) for r in rows]}
    if rows:
        body["next_page"] = f"P{rows[-1][0]:x}"
    return body


def page_size(request: Request) -> int | None:
    try:
        limit = int(request.query_params.get("limit", "10"))
    except ValueError:
        return None
    return limit if 1 <= limit <= 50 else None


class Baseline:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.pool: asyncpg.Pool | None = None
        self.secret = ""
        self.domain = ""

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def start(self) -> None:
        # Every statement keeps one generic plan: PostgreSQL would otherwise plan the Subscribed page afresh at each
        # execution (its custom plans looked cheaper than the generic one), 20 ms of planning a request.
        settings = {"plan_cache_mode": "force_generic_plan"}
        self.pool = await asyncpg.create_pool(self.database_url, min_size=1, max_size=5, server_settings=settings)
        async with self.pool.acquire() as db:
            self.secret = await db.fetchval("SELECT jwt_secret FROM secret LIMIT 1")
            actor = await db.fetchval("SELECT actor_id FROM site ORDER BY id LIMIT 1")
        self.domain = actor.rstrip("/").split("://", 1)[1]

    async def member(self, db: asyncpg.Connection, request: Request) -> asyncpg.Record | None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], issuer=self.domain)
            user_id = int(claims["sub"])
        except (jwt.PyJWTError, ValueError, KeyError):
            return None
        return await db.fetchrow(MEMBER, user_id, hashlib.sha256(token.encode()).hexdigest())

    async def post_list(self, request: Request) -> Response:
        query = request.query_params
        limit = page_size(request)
        if limit is None or query.get("sort") != "Hot" or query.get("page") or query.get("page_cursor"):
            return error(400, "not_in_baseline")
        assert self.pool is not None
        async with self.pool.acquire() as db:
            if query.get("type_") == "All" and "authorization" not in request.headers:
                return answer(page(await db.fetch(sized(FRONT, limit)), member=False))
            if query.get("type_") != "Subscribed":
                return error(400, "not_in_baseline")
            me = await self.member(db, request)
            if me is None:
                return error(401, "incorrect_login")
            if me["unsupported"]:
                return error(501, "not_in_baseline")
            listing = sized(SUBSCRIBED, limit, me["show_nsfw"], me["show_bot_accounts"], me["show_read_posts"])
            rows = await db.fetch(listing, me["id"], me["feed"])
        return answer(page(rows, member=True))

    async def comment_list(self, request: Request) -> Response:
        query = request.query_params
        if "authorization" in request.headers or query.get("sort", "Hot") != "Hot":
            return error(400, "not_in_baseline")
        try:
            post_id, max_depth = int(query["post_id"]), int(query["max_depth"])
        except (KeyError, ValueError):
            return error(400, "not_in_baseline")
        if max_depth < 1:
            return error(400, "couldnt_get_comments")
        assert self.pool is not None
        async with self.pool.acquire() as db:
            found = await db.fetchrow(TREE_POST, post_id)
            if found is None or not found["visible"]:
                return answer({"comments": []})
            rows = await db.fetch(TREE, post_id, found["community_id"], max_depth - 1)
        # the post and its community are the same in every view: serialised once
        post = orjson.Fragment(orjson.dumps(present(POST_KEYS, found[:NP]), option=OPTIONS))
        community = orjson.Fragment(orjson.dumps(present(COMMUNITY_KEYS, found[NP : NP + NC]), option=OPTIONS))
        creators: dict[int, dict[str, Any]] = {}
        views = []
        for r in rows:
            comment = present(COMMENT_KEYS, r[:NK])
            if r[4] or r[7]:  # removed or deleted: its place kept, its content not shown to an anonymous reader
                comment["content"] = ""
            creator = creators.get(r[NK])
            if creator is None:
                creator = creators[r[NK]] = present(PERSON_KEYS, r[NK : NK + NU])
            score, up, down, children, banned, mod, admin = r[NK + NU :]
            views.append(
                {
                    "comment": comment,
                    "creator": creator,
                    "post": post,
                    "community": community,
                    "counts": {
                        "comment_id": r[0],
                        "score": score,
                        "upvotes": up,
                        "downvotes": down,
                        "published": r[5],
                        "child_count": children,
                    },
                    "creator_banned_from_community": bool(banned),
                    "banned_from_community": False,
                    "creator_is_moderator": bool(mod),
                    "creator_is_admin": bool(admin),
                    "subscribed": "NotSubscribed",
                    "saved": False,
                    "creator_blocked": False,
                }
            )
        return answer({"comments": views})


def from_env() -> Starlette:
    """The app, for uvicorn's workers, which import it by name (`baselines.serve`)."""
    baseline = Baseline(os.environ[baselines.DATABASE_URL])
    routes = [
        Route("/api/v3/post/list", baseline.post_list, methods=["GET"]),
        Route("/api/v3/comment/list", baseline.comment_list, methods=["GET"]),
    ]
    return baselines.app(baseline, routes)


if __name__ == "__main__":
    baselines.serve("baseline_reads", __doc__, 8703)
