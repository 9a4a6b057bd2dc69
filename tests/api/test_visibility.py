"""Who sees a local-only community: one table of every read surface (API, web pages, RSS, ActivityPub, WebFinger)
by every kind of reader (anonymous, a member, an admin, another server with and without a signature).

Everything the local-only community holds carries SECRET (its title and sidebar, its posts and comments, its
moderators' removal reasons); a public community beside it carries OPEN. A member or an admin finds SECRET on each
surface that shows it, an anonymous visitor or another server never does; OPEN shows on the listings for everyone,
so a surface that answers nothing at all cannot pass. A new read surface is one more row of SURFACES.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from agora.federation import signatures
from tests.conftest import LiveServer
from tests.federation.conftest import FAST, settle
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api, Member
from tests.support.web import Visitor

SECRET = "hushword"
OPEN = "openword"
AP = "application/activity+json"
MEMBERS = ("member", "admin")
PEOPLE = ("anonymous", *MEMBERS)
SERVERS = ("remote", "signed")


@dataclass
class World:
    server: LiveServer
    base: str
    domain: str
    mod: Member
    member: Member
    admin: Member
    peer: Peer
    actor: str  # the peer's person, whose key signs the "signed" reader's requests
    hush: dict  # the local-only community
    post: dict
    comment: dict
    open_post: dict

    def api(self, reader: str) -> Api:
        return Api(self.base, {"anonymous": None, "member": self.member.token, "admin": self.admin.token}[reader])

    def web(self, reader: str) -> Visitor:
        visitor = Visitor(self.base)
        if reader != "anonymous":
            visitor.http.cookies.set("jwt", {"member": self.member.token, "admin": self.admin.token}[reader])
        return visitor

    def ap(self, reader: str, path: str) -> httpx.Response:
        url = f"{self.base}{path}"
        headers = {"Accept": AP}
        if reader == "signed":
            headers |= signatures.sign_headers("GET", url, None, f"{self.actor}#main-key", self.peer.private_key)
        return httpx.get(url, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def world(server_factory_module):
    server = server_factory_module(**FAST)
    admin = make_admin(server)
    mod, member = server.api().register(), server.api().register()
    hush = mod.community("hush", title=f"Hush {SECRET} marker", description=f"sidebar {SECRET}", visibility="LocalOnly")
    public = mod.community("open", title=f"Open {OPEN} marker")
    post = mod.post(hush["community"]["id"], f"Post {SECRET} marker")
    comment = mod.comment(post["post"]["id"], f"Comment {SECRET} marker")
    open_post = mod.post(public["community"]["id"], f"Post {OPEN} marker")
    mod.comment(open_post["post"]["id"], f"Comment {OPEN} marker")
    for community in (hush, public):  # the member's front-page feed reads both
        member.api.post("/community/follow", {"community_id": community["community"]["id"], "follow": True})
    # the modlog: a removal with its reason in each community, and a purge that names only the post it was in
    removed = mod.post(hush["community"]["id"], "to be removed")["post"]["id"]
    mod.api.post("/post/remove", {"post_id": removed, "removed": True, "reason": f"reason {SECRET}"})
    gone = mod.post(public["community"]["id"], "also removed")["post"]["id"]
    mod.api.post("/post/remove", {"post_id": gone, "removed": True, "reason": f"reason {OPEN}"})
    purged = mod.comment(post["post"]["id"], "to be purged")["comment"]["id"]
    admin.api.post("/admin/purge/comment", {"comment_id": purged, "reason": f"purged {SECRET}"})
    peer = Peer().start()
    actor = peer.person("reader")["id"]
    yield World(
        server, server.base_url, server.settings.domain, mod, member, admin, peer, actor, hush, post, comment, open_post
    )
    peer.stop()


@dataclass(frozen=True)
class Surface:
    name: str
    readers: tuple[str, ...]
    read: Callable[[World, str], str]  # the answer as `reader` gets it
    shows_open: bool = False  # OPEN is in the answer for every reader
    leaks: Callable[[World, str], bool] = lambda w, text: mentions_hush(w, text)


def mentions_hush(w: World, text: str) -> bool:
    """SECRET, a link to the community on a page, or its URL in a document."""
    return SECRET in text or 'href="/c/hush"' in text or f'{w.base}/c/hush"' in text


def api(path: str, shows_open: bool = False, **params: Callable[[World], object] | object) -> Surface:
    def read(w: World, reader: str) -> str:
        values = {k: v(w) if callable(v) else v for k, v in params.items()}
        return w.api(reader).request("GET", path, **values).text

    shown = {k: getattr(v, "__name__", v) for k, v in params.items()}
    return Surface(f"api {path} {shown}", PEOPLE, read, shows_open)


def page(path: Callable[[World], str] | str, shows_open: bool = False) -> Surface:
    def read(w: World, reader: str) -> str:
        return w.web(reader).get(path(w) if callable(path) else path).text

    return Surface(f"web {path if isinstance(path, str) else path(None)}", PEOPLE, read, shows_open)


def feed(path: Callable[[World], str] | str, shows_open: bool = False) -> Surface:
    def read(w: World, _reader: str) -> str:
        return httpx.get(f"{w.base}{path(w) if callable(path) else path}").text

    return Surface(f"rss {path if isinstance(path, str) else path(None)}", ("anonymous",), read, shows_open)


def _front_feed(w: World, _reader: str) -> str:
    return httpx.get(f"{w.base}/feeds/front/{w.member.token}.xml").text


def _webfinger(w: World, _reader: str) -> str:
    return httpx.get(f"{w.base}/.well-known/webfinger", params={"resource": f"acct:hush@{w.domain}"}).text


def activitypub(path: Callable[[World], str] | str, shows_open: bool = False) -> Surface:
    def read(w: World, reader: str) -> str:
        return w.ap(reader, path(w) if callable(path) else path).text

    return Surface(f"ap {path if isinstance(path, str) else path(None)}", SERVERS, read, shows_open)


def _post_id(w: World) -> int:
    return w.post["post"]["id"]


def _comment_id(w: World) -> int:
    return w.comment["comment"]["id"]


def _hush_id(w: World) -> int:
    return w.hush["community"]["id"]


def _mod_name(w: World) -> str:
    return w.mod.name


def _post_url(w: World) -> str:
    return w.post["post"]["ap_id"]


def _comment_url(w: World) -> str:
    return w.comment["comment"]["ap_id"]


def _hush_handle(w: World) -> str:
    return f"!hush@{w.domain}"


class _Named:
    """Lets a path builder print a name when the table is listed without a world."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __call__(self, w: World | None) -> str:
        if w is None:
            return self.pattern
        return self.pattern.format(post=_post_id(w), comment=_comment_id(w), mod=w.mod.name, domain=w.domain)


SURFACES = [
    api("/community", name="hush"),
    api("/community/list", shows_open=True, type_="Local", sort="New", limit=50),
    api("/post/list", community_name="hush"),
    api("/post/list", shows_open=True, type_="All", sort="New", limit=50),
    api("/post", id=_post_id),
    api("/post", comment_id=_comment_id),
    api("/comment", id=_comment_id),
    api("/comment/list", post_id=_post_id, max_depth=8),
    api("/comment/list", shows_open=True, type_="All", sort="New", limit=50),
    api("/user", shows_open=True, username=_mod_name, limit=50),
    api("/search", shows_open=True, q="marker"),
    api("/modlog", shows_open=True, limit=50),
    api("/modlog", community_id=_hush_id),
    api("/modlog", post_id=_post_id),
    api("/resolve_object", q=_post_url),
    api("/resolve_object", q=_comment_url),
    api("/resolve_object", q=_hush_handle),
    page("/c/hush"),
    page(_Named("/post/{post}")),
    page(_Named("/comment/{comment}")),
    page(_Named("/u/{mod}"), shows_open=True),
    page("/modlog", shows_open=True),
    page("/search?q=marker", shows_open=True),
    page("/communities?listingType=Local&sort=New", shows_open=True),
    page("/?listingType=All&sort=New", shows_open=True),
    feed("/feeds/all.xml?sort=New", shows_open=True),
    feed("/feeds/local.xml?sort=New", shows_open=True),
    feed("/feeds/c/hush.xml"),
    feed(_Named("/feeds/u/{mod}.xml"), shows_open=True),
    Surface("rss /feeds/front/TOKEN.xml", ("member",), _front_feed, shows_open=True),
    activitypub("/c/hush"),
    activitypub("/c/hush/outbox"),
    activitypub("/c/open/outbox", shows_open=True),
    activitypub("/c/hush/featured"),
    activitypub("/c/hush/moderators"),
    activitypub("/c/hush/followers"),
    activitypub(_Named("/post/{post}")),
    activitypub(_Named("/comment/{comment}")),
    Surface("webfinger acct:hush", ("anonymous", *SERVERS), _webfinger),
]
CASES = [(surface, reader) for surface in SURFACES for reader in surface.readers]


@pytest.mark.parametrize(("surface", "reader"), CASES, ids=[f"{s.name} as {r}" for s, r in CASES])
def test_a_local_only_community_is_seen_by_members_only(world, surface, reader):
    text = surface.read(world, reader)
    if reader in MEMBERS:
        assert surface.leaks(world, text), f"{surface.name}: a {reader} should see the local-only community"
    else:
        assert not surface.leaks(world, text), f"{surface.name} shows the local-only community to {reader}"
    if surface.shows_open:
        assert OPEN in text, f"{surface.name} shows {reader} nothing at all"


def test_a_moderators_local_only_communities_stay_off_their_profile(world):
    public = Api(world.base).get("/user", username=world.mod.name)
    assert [m["community"]["name"] for m in public["moderates"]] == ["open"]
    member = world.member.api.get("/user", username=world.mod.name)
    assert sorted(m["community"]["name"] for m in member["moderates"]) == ["hush", "open"]


def test_a_removed_post_stays_hidden_from_resolve_object(world):
    removed = world.mod.post(world.hush["community"]["id"], "soon removed, publicly")["post"]
    world.mod.api.post("/post/remove", {"post_id": removed["id"], "removed": True, "reason": "spam"})
    for reader in (Api(world.base), world.member.api):
        assert reader.error("GET", "/resolve_object", q=removed["ap_id"]) == (400, "couldnt_find_object")


def test_another_server_cannot_post_into_a_local_only_community(world):
    page_id = world.peer.url(f"/post/{uuid.uuid4()}")
    document = {
        "id": page_id,
        "type": "Page",
        "attributedTo": world.actor,
        "name": "from outside",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "audience": world.hush["community"]["actor_id"],
        "cc": [world.hush["community"]["actor_id"]],
        "published": "2024-01-01T00:00:00Z",
    }
    create = {
        "id": world.peer.url(f"/activities/create/{uuid.uuid4()}"),
        "type": "Create",
        "actor": world.actor,
        "to": document["to"],
        "cc": document["cc"],
        "object": document,
    }
    assert world.peer.send(f"{world.base}/inbox", create).status_code == 202
    assert settle(world.server)[create["id"]][0] != "applied"
    listed = world.member.api.get("/post/list", community_name="hush", sort="New", limit=50)["posts"]
    assert all(p["post"]["name"] != "from outside" for p in listed)
