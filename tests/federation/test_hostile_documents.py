"""Mutated real documents (hypothesis): the parsers and the inbox either apply them or refuse them with a 4xx and
a reason; never a server error, never an internal failure in the worker, never a half-applied change."""

from __future__ import annotations

import copy
import json
import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from agora.db.models import (
    Comment,
    CommentLike,
    CommunityFollower,
    CommunityModerator,
    CommunityPersonBan,
    Post,
    PostLike,
    PostReport,
    PrivateMessage,
)
from agora.errors import AgoraError
from agora.federation import activities
from agora.federation.objects import group, message, note, page, person
from tests.federation.conftest import FIXTURES, needs_fixtures, settle
from tests.federation.test_fixtures import page as serve_page

pytestmark = [pytest.mark.federation, needs_fixtures]

LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=50),
    st.just("x" * 20_000),
    st.just("https://evil.example/../../etc/passwd"),
    st.just("https://www.w3.org/ns/activitystreams#Public"),
    st.just("javascript:alert(1)"),
)
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@st.composite
def mutated(draw, document: dict):
    """The document with one to three of its nodes deleted, replaced by any JSON value, or given a wrong type."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["delete", "replace", "wrap"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(JSON)
        else:
            parent[path[-1]] = [parent[path[-1]], parent[path[-1]]]
    return document


def _documents(kind: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(FIXTURES.rglob(f"{kind}/**/*.json"))]


ACTIVITIES = _documents("activities") if FIXTURES else []
OBJECTS = _documents("objects") if FIXTURES else []
PARSERS = (person.parse, group.parse, page.parse, note.parse, message.parse)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_documents_parse_or_are_refused_with_a_reason(data):
    document = data.draw(mutated(data.draw(st.sampled_from(ACTIVITIES + OBJECTS))))
    try:
        activities.parse(document)
    except AgoraError as refused:
        assert 400 <= refused.status < 500 and refused.message
    for parse in PARSERS:
        try:
            parse(document)
        except AgoraError as refused:
            assert 400 <= refused.status < 500 and refused.message


CONTENT = (
    Post,
    Comment,
    PostLike,
    CommentLike,
    CommunityFollower,
    CommunityModerator,
    CommunityPersonBan,
    PrivateMessage,
    PostReport,
)


def _snapshot(server) -> dict:
    """Every row of the tables an activity may change (remote actors it fetched on the way may be added)."""

    async def read():
        out = {}
        async with server.state.db.read() as session:
            for model in CONTENT:
                rows = (await session.execute(select(model.__table__))).mappings().all()
                out[model.__tablename__] = sorted(
                    json.dumps(
                        {
                            k: str(v)
                            for k, v in r.items()
                            if k not in ("hot_rank", "hot_rank_active", "scaled_rank", "controversy_rank")
                        },
                        sort_keys=True,
                    )
                    for r in rows
                )
        return out

    return server.run(read)


SCENARIO = [
    "0.19/lemmy/activities/following/follow.json",
    "0.19/lemmy/activities/create_or_update/create_page.json",
    "0.19/lemmy/activities/create_or_update/update_page.json",
    "0.19/lemmy/activities/create_or_update/create_note.json",
    "1.0/lemmy/activities/voting/dislike_page.json",
    "0.19/lemmy/activities/deletion/delete_page.json",
    "0.19/lemmy/activities/deletion/delete_user.json",
    "0.19/mastodon/activities/follow.json",
    "1.0/lemmy/activities/community/report_page.json",
]


def test_mutated_activities_at_the_inbox_apply_or_refuse_cleanly(world_factory):
    world = world_factory("enterprise.lemmy.ml")
    world.admin.community("main")
    world.admin.community("tenforward")
    world.peer("ds9.lemmy.ml")  # started before mutations can name it
    serve_page(world, "ds9.lemmy.ml", "/post/1", "http://enterprise.lemmy.ml/c/main", name="The post")
    originals = [world.fixture(*path.split("/", 1)) for path in SCENARIO]
    outcomes: dict[str, int] = {}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def deliver(data):
        document = data.draw(mutated(data.draw(st.sampled_from(originals))))
        if isinstance(document.get("id"), str):
            document["id"] = f"{document['id']}-{uuid.uuid4().hex[:8]}"  # every example is new to the inbox
        before = _snapshot(world.server)
        actor = document.get("actor")
        if not (isinstance(actor, str) and re.fullmatch(r"https?://[\x21-\x7e]+", actor)):
            actor = None  # the signature header cannot carry it: sign as a real actor, the body is still wrong
        peer = next(
            (p for p in world.hosts.peers.values() if actor and actor.startswith(p.base_url)),
            world.peer("ds9.lemmy.ml"),
        )
        response = peer.send(f"{world.server.base_url}/inbox", document, actor=actor or peer.url("/u/lemmy_alpha"))
        assert response.status_code < 500, response.text
        outcomes[str(response.status_code)] = outcomes.get(str(response.status_code), 0) + 1
        if response.status_code >= 400:
            assert response.json()["error"]
            assert _snapshot(world.server) == before
            return
        states = settle(world.server, retrying_ok=True)
        state, reason = states.get(activities.parse(document).id, ("duplicate", None))
        outcomes[state] = outcomes.get(state, 0) + 1
        assert not (reason or "").startswith("internal error"), reason
        if state in ("failed", "queued") or (state == "skipped" and "removed" not in (reason or "")):
            assert _snapshot(world.server) == before, (state, reason)

    deliver()
    assert outcomes.get("202", 0) + outcomes.get("200", 0) > 0 and any(k.startswith("4") for k in outcomes), outcomes
