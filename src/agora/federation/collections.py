"""ActivityPub GETs besides the actors and objects: the instance's Application actor at `/`, a community's outbox
(its recent posts, which other servers backfill from), followers (a count), moderators and featured posts,
people's (empty) outboxes, and our activities by id."""

from __future__ import annotations

import orjson
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from agora.core.instance import LocalInstance
from agora.db.models import Site
from agora.deps import Here, ReadDb, State
from agora.errors import AgoraError, Code
from agora.federation import keys, private_reads
from agora.federation.activities.build.envelopes import envelope
from agora.federation.objects import CONTEXT, PUBLIC, feed, instance, page
from agora.federation.routes import ActivityPubRoute, document_response, local_feed
from agora.queries import activities as activity_queries
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import community_tags as tag_queries
from agora.queries import languages as language_queries
from agora.queries import multi_communities as multi_queries
from agora.queries import persons as person_queries
from agora.queries import rows, visibility
from agora.queries import site as site_queries

router = APIRouter(route_class=ActivityPubRoute, tags=["activitypub"])
OUTBOX_POSTS = 20
REPLIES = 50  # a thread new to another server starts with its first fifty comments


@router.get("/")
async def instance_actor(here: Here, state: State, db: ReadDb) -> Response:
    async with state.db.write() as session:
        pem = await keys.public_key(session, Site, here.site_id)
    site = await site_queries.row(db, here.site_id)
    return document_response(instance.application(site, pem, here.base_url, here.domain))


async def _community(db: AsyncSession, here: LocalInstance, name: str) -> dict:
    community_id = await community_queries.find_id(db, here.instance_id, name[:255])
    community = (await rows.communities(db, [community_id])).get(community_id) if community_id else None
    if community is None or not visibility.federated_community(community):
        raise AgoraError(Code.couldnt_find_community, status=404)
    return community


def _collection(url: str, items: list, *, ordered: bool = True) -> dict:
    return {
        "@context": CONTEXT,
        "type": "OrderedCollection" if ordered else "Collection",
        "id": url,
        "totalItems": len(items),
        "orderedItems" if ordered else "items": items,
    }


async def _pages(db: AsyncSession, here: LocalInstance, community: dict, post_ids: list[int]) -> list[dict]:
    posts = await rows.posts(db, post_ids)
    people = await rows.persons(db, [p["creator_id"] for p in posts.values()])
    carried = await tag_queries.of_posts(db, post_ids)
    out = []
    for post_id in post_ids:
        post = posts[post_id]
        language = await language_queries.by_id(db, post["language_id"])
        document = page.page(post, people[post["creator_id"]], community, language, carried.get(post_id))
        out.append({k: v for k, v in document.items() if k != "@context"})
    return out


@router.get("/c/{name}/outbox")
async def community_outbox(name: str, db: ReadDb, here: Here, request: Request, state: State) -> Response:
    """Recent posts as Announce { Create { Page } }, Lemmy's shape."""
    community = await _community(db, here, name)
    await private_reads.require_approved_server(state, request, db, community)
    post_ids = await community_queries.recent_post_ids(db, community["id"], OUTBOX_POSTS)
    items = []
    for document in await _pages(db, here, community, post_ids):
        create = envelope(here, "Create", document["attributedTo"], document, community=community)
        followers = [f"{community['actor_id']}/followers"]
        items.append(envelope(here, "Announce", community["actor_id"], create, cc=followers))
    return document_response(_collection(f"{community['actor_id']}/outbox", items))


@router.get("/c/{name}/featured")
async def community_featured(name: str, db: ReadDb, here: Here, request: Request, state: State) -> Response:
    community = await _community(db, here, name)
    await private_reads.require_approved_server(state, request, db, community)
    post_ids = await community_queries.featured_post_ids(db, community["id"])
    items = await _pages(db, here, community, post_ids)
    return document_response(_collection(f"{community['actor_id']}/featured", items))


@router.get("/post/{post_id}/replies")
async def post_replies(post_id: int, db: ReadDb, request: Request, state: State) -> Response:
    """A post's comments as their ids, parents first: a server that learns of the post late (a member resolved
    it) reads its thread from here, each comment from its own server (Mastodon and PieFed publish one too)."""
    post = (await rows.posts(db, [post_id])).get(post_id)
    if post is None or not post["local"] or post["deleted"] or post["removed"]:
        raise AgoraError(Code.couldnt_find_post, status=404)
    community = (await rows.communities(db, [post["community_id"]]))[post["community_id"]]
    if not visibility.community_open_to(visibility.REMOTE, community):
        raise AgoraError(Code.couldnt_find_post, status=404)
    await private_reads.require_approved_server(state, request, db, community)
    items = await comment_queries.reply_urls(db, post_id, REPLIES)
    return document_response(_collection(f"{post['ap_id']}/replies", items))


@router.get("/c/{name}/moderators")
async def community_moderators(name: str, db: ReadDb, here: Here) -> Response:
    community = await _community(db, here, name)
    items = await community_queries.moderator_urls(db, community["id"])
    return document_response(_collection(f"{community['actor_id']}/moderators", items))


@router.get("/c/{name}/followers")
async def community_followers(name: str, db: ReadDb, here: Here) -> Response:
    """The count only, as Lemmy: who follows is not published."""
    community = await _community(db, here, name)
    body = _collection(f"{community['actor_id']}/followers", [], ordered=False)
    body["totalItems"] = community["subscribers"]
    return document_response(body)


@router.get("/m/{name}/following")
async def feed_following(name: str, db: ReadDb) -> Response:
    """The communities a multi-community lists, by id: those other servers may know of."""
    row = await local_feed(db, name)
    listed = await multi_queries.listed_communities(db, row["id"])
    urls = [c["actor_id"] for c in listed if not c["local"] or visibility.federated_community(c)]
    return document_response(feed.following(row["following_url"] or f"{row['actor_id']}/following", urls))


@router.get("/u/{name}/outbox")
async def person_outbox(name: str, db: ReadDb, here: Here) -> Response:
    person_id = await person_queries.find_id(db, here.instance_id, name[:255])
    if person_id is None:
        raise AgoraError(Code.couldnt_find_person, status=404)
    return document_response(_collection(f"{here.url('person', name)}/outbox", []))


@router.get("/activities/{kind}/{activity_id}")
async def activity(kind: str, activity_id: str, db: ReadDb, here: Here, request: Request, state: State) -> Response:
    data = await activity_queries.sent_json(db, f"{here.base_url}/activities/{kind}/{activity_id}"[:2000])
    if data is None:
        raise AgoraError(Code.couldnt_find_activity, status=404)
    document = orjson.loads(data)
    if not _served(document):
        raise AgoraError(Code.couldnt_find_activity, status=404)
    communities = await _communities_named(db, here, document)
    # sent while its community was public, and the community has been made local-only since
    if any(not visibility.community_open_to(visibility.REMOTE, c) for c in communities):
        raise AgoraError(Code.couldnt_find_activity, status=404)
    for community in communities:
        await private_reads.require_approved_server(state, request, db, community)
    return document_response(document)


def _served(document: dict) -> bool:
    """Public activities, and votes (addressed to no one, as Lemmy sends them, yet public in a community): servers
    that receive them relayed by a community fetch them here to check them. Private messages and follows are not."""
    if PUBLIC in (document.get("to") or []) + (document.get("cc") or []):
        return True
    inner = document.get("object")
    kind = inner.get("type") if document.get("type") == "Undo" and isinstance(inner, dict) else document.get("type")
    return kind in ("Like", "Dislike")


async def _communities_named(db: AsyncSession, here: LocalInstance, document: dict) -> list[dict]:
    """Our communities the activity names, directly or through the posts and comments it names."""
    names, post_ids, comment_ids = _named(document, here.base_url)
    community_ids = {await community_queries.find_id(db, here.instance_id, name) for name in names}
    posts = await rows.posts(db, post_ids)
    comments = await rows.comments(db, comment_ids)
    posts |= await rows.posts(db, [c["post_id"] for c in comments.values()])
    community_ids |= {p["community_id"] for p in posts.values()}
    return list((await rows.communities(db, community_ids)).values())


ADDRESSING = ("actor", "audience", "to", "cc", "target", "attributedTo", "object")


def _named(document: dict, base: str, depth: int = 0) -> tuple[set[str], set[int], set[int]]:
    """Our communities (by name), posts and comments (by id) an activity, or the activity it wraps, names in its
    addressing or as its object (`…/c/NAME`, `…/c/NAME/followers`, `…/post/ID`, `…/comment/ID`)."""
    names: set[str] = set()
    posts: set[int] = set()
    comments: set[int] = set()
    for key in ADDRESSING:
        value = document.get(key)
        for url in value if isinstance(value, list) else [value]:
            if not isinstance(url, str) or not url.startswith(f"{base}/"):
                continue
            kind, _, rest = url[len(base) + 1 :].partition("/")
            first = rest.split("/", 1)[0]
            if kind == "c" and first:
                names.add(first[:255])
            elif kind in ("post", "comment") and first.isdigit() and len(first) < 10:
                (posts if kind == "post" else comments).add(int(first))
    inner = document.get("object")
    if isinstance(inner, dict) and depth < 3:
        more = _named(inner, base, depth + 1)
        names, posts, comments = names | more[0], posts | more[1], comments | more[2]
    return names, posts, comments
