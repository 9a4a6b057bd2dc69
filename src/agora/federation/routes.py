"""ActivityPub GETs: people, communities, posts and comments as JSON-LD, at the same URLs the web pages use.

The inbox POSTs (`/inbox`, `/u/{name}/inbox`, `/c/{name}/inbox`) are here too; `federation.inbox` does the work.

The GET routes only match requests that ask for ActivityPub (`Accept: application/activity+json`, or ld+json with
the ActivityStreams profile); everything else falls through to the web UI's routes at the same paths.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match

from agora.db.models import Community, Person
from agora.deps import AppState, Here, ReadDb, State
from agora.errors import AgoraError, Code
from agora.federation import inbox, keys, private_reads
from agora.federation.activities.build.feeds import feed_document
from agora.federation.objects import group, note, page, person, question
from agora.queries import communities as community_queries
from agora.queries import community_tags as tag_queries
from agora.queries import multi_communities as multi_queries
from agora.queries import persons as person_queries
from agora.queries import polls as poll_queries
from agora.queries import rows, visibility
from agora.queries import site as site_queries
from agora.responses import json_response

MEDIA_TYPE = "application/activity+json"


def wants_activitypub(accept: str) -> bool:
    accept = accept.lower()
    return MEDIA_TYPE in accept or ("application/ld+json" in accept and "activitystreams" in accept)


class ActivityPubRoute(APIRoute):
    def matches(self, scope):
        match, child = super().matches(scope)
        if match is Match.NONE:
            return match, child
        accept = next((v for k, v in scope.get("headers", []) if k == b"accept"), b"").decode("latin-1")
        return (match, child) if wants_activitypub(accept) else (Match.NONE, {})


router = APIRouter(route_class=ActivityPubRoute, tags=["activitypub"])
inbox_router = APIRouter(tags=["activitypub"])


async def _receive(request: Request, state: AppState) -> Response:
    status, body = await inbox.accept(state, request)
    return json_response(body, status=status)


@inbox_router.post("/inbox", include_in_schema=False)
async def shared_inbox(request: Request, state: State) -> Response:
    return await _receive(request, state)


@inbox_router.post("/u/{name}/inbox", include_in_schema=False)
async def person_inbox(name: str, request: Request, state: State) -> Response:
    return await _receive(request, state)


@inbox_router.post("/c/{name}/inbox", include_in_schema=False)
async def community_inbox(name: str, request: Request, state: State) -> Response:
    return await _receive(request, state)


@inbox_router.post("/site_inbox", include_in_schema=False)
async def site_inbox(request: Request, state: State) -> Response:
    return await _receive(request, state)


def document_response(body: dict, status: int = 200) -> Response:
    response = json_response(body, status=status, headers={"vary": "Accept", "cache-control": "public, max-age=60"})
    response.headers["content-type"] = MEDIA_TYPE
    return response


def _gone(ap_id: str) -> Response:
    tombstone = {"@context": "https://www.w3.org/ns/activitystreams", "id": ap_id, "type": "Tombstone"}
    return document_response(tombstone, 410)


async def _key(state: AppState, model: type[Person | Community], row_id: int) -> str:
    async with state.db.write() as session:
        return await keys.public_key(session, model, row_id)


@router.get("/u/{name}")
async def person_actor(name: str, db: ReadDb, here: Here, state: State) -> Response:
    person_id = await person_queries.find_id(db, here.instance_id, name[:255])
    found = await rows.one(db, "person", person_id) if person_id else None
    if found is None or not found["local"]:
        raise AgoraError(Code.couldnt_find_person, status=404)
    if found["deleted"]:
        return _gone(found["actor_id"])
    pem = await _key(state, Person, found["id"])
    return document_response(person.person(found, pem, f"{here.base_url}/inbox"))


@router.get("/c/{name}")
async def group_actor(name: str, db: ReadDb, here: Here, state: State) -> Response:
    community_id = await community_queries.find_id(db, here.instance_id, name[:255])
    view = await community_queries.get_view(db, None, community_id, any_state=True) if community_id else None
    if view is None or not visibility.federated_community(view.community):
        raise AgoraError(Code.couldnt_find_community, status=404)
    if view.community["deleted"] or view.community["removed"]:
        return _gone(view.community["actor_id"])
    pem = await _key(state, Community, view.community["id"])
    moves = await rows.one(db, "community", view.community["id"]) or {}
    community = {**view.community, "also_known_as": moves.get("also_known_as"), "moved_to": moves.get("moved_to")}
    language_ids = set(await community_queries.language_ids(db, view.community["id"]))
    languages = [lang for lang in await site_queries.all_languages(db) if lang["id"] in language_ids and lang["id"]]
    offered = (await tag_queries.of_communities(db, [view.community["id"]])).get(view.community["id"])
    return document_response(group.group(community, pem, f"{here.base_url}/inbox", languages, offered))


async def local_feed(db: AsyncSession, name: str) -> dict:
    """Our multi-community `name` (404 for another server's or none)."""
    row = None if "@" in name else await multi_queries.row_by_name(db, name[:255])
    if row is None or not row["local"]:
        raise AgoraError(Code.not_found, "no such multi-community", status=404)
    return row


@router.get("/m/{name}")
async def feed_actor(name: str, db: ReadDb, here: Here, state: State) -> Response:
    """A multi-community as Lemmy 1.0's Feed actor, signed for by the instance actor's key (as Lemmy does)."""
    row = await local_feed(db, name)
    if row["deleted"]:
        return _gone(row["actor_id"])
    async with state.db.write() as session:  # the instance key is made on first use
        return document_response(await feed_document(session, here, row))


async def _language(db: AsyncSession, language_id: int | None) -> dict | None:
    return next((lang for lang in await site_queries.all_languages(db) if lang["id"] == language_id), None)


async def _visible_community(db: AsyncSession, community_id: int) -> dict:
    community = (await rows.communities(db, [community_id]))[community_id]
    if not visibility.community_open_to(visibility.REMOTE, community):
        raise AgoraError(Code.not_found, status=404)
    return community


async def _served(
    db: AsyncSession, request: Request, state: AppState, row: dict, community_id: int
) -> tuple[dict, Response | None]:
    """The community of the post or comment `row`, once the asking server may read it there; with what to answer
    instead of the object, if anything: a redirect when another server holds it, a Tombstone when it is gone."""
    community = await _visible_community(db, community_id)
    await private_reads.require_approved_server(state, request, db, community)
    if not row["local"]:
        return community, _elsewhere(row["ap_id"])
    if row["deleted"] or row["removed"]:
        return community, _gone(row["ap_id"])
    return community, None


def _elsewhere(ap_id: str) -> Response:
    """Another server's object, at our URL for it: its own id is where to read it (Lemmy answers the same)."""
    return Response(status_code=308, headers={"location": ap_id, "vary": "Accept"})


@router.get("/post/{post_id}")
async def page_object(post_id: int, db: ReadDb, request: Request, state: State) -> Response:
    post = (await rows.posts(db, [post_id])).get(post_id)
    if post is None:
        raise AgoraError(Code.couldnt_find_post, status=404)
    community, instead = await _served(db, request, state, post, post["community_id"])
    if instead is not None:
        return instead
    creator = (await rows.persons(db, [post["creator_id"]]))[post["creator_id"]]
    carried = (await tag_queries.of_posts(db, [post_id])).get(post_id)
    document = page.page(post, creator, community, await _language(db, post["language_id"]), carried)
    poll = await poll_queries.poll_of(db, post_id)
    return document_response(question.question(document, poll, post["name"]) if poll is not None else document)


@router.get("/comment/{comment_id}")
async def note_object(comment_id: int, db: ReadDb, request: Request, state: State) -> Response:
    comment = (await rows.comments(db, [comment_id])).get(comment_id)
    if comment is None:
        raise AgoraError(Code.couldnt_find_comment, status=404)
    post = (await rows.posts(db, [comment["post_id"]]))[comment["post_id"]]
    community, instead = await _served(db, request, state, comment, post["community_id"])
    if instead is not None:
        return instead
    parent = (await rows.comments(db, [comment["parent_id"]])).get(comment["parent_id"])
    replied_to = parent["creator_id"] if parent else post["creator_id"]
    people = await rows.persons(db, [comment["creator_id"], replied_to])
    document = note.note(
        comment,
        people[comment["creator_id"]],
        post,
        community,
        parent["ap_id"] if parent else None,
        people.get(replied_to),
        await _language(db, comment["language_id"]),
    )
    return document_response(document)
