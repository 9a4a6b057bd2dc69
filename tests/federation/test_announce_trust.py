"""No server speaks for another: every activity type the inbox takes, sent directly or wrapped in a community's
Announce, by an actor of the sending host or of a third host, about an object of either host.

Host A runs the community `club` (which a member here follows) and plays the attacker: it has its own key. Host V
is an honest third server with a member `victim` here knows. An activity A relays for V is applied only when V's
own copy says the same (V serves it at its id) and a community may announce it at all; nothing A pushes can change
V's key, account, follows or content. Each row names the activity, its wrapper, the host of its actor and of its
object, whether V serves it, and what must come of it.
"""

from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from agora.federation import signatures
from tests.federation.conftest import FAST, settle
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api

pytestmark = pytest.mark.federation
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_n = itertools.count(1)


class Net:
    """The server under test, the attacker A (community `club`, member `mallory`) and the third host V."""

    def __init__(self, server) -> None:
        self.server = server
        self.admin = make_admin(server)
        self.home = self.admin.community("home")["community"]  # a local community
        self.a = Peer()
        self.a.private_key, self.a.public_key = signatures.generate_key_pair()
        self.a.start()
        self.v = Peer().start()
        self.club = self.a.group("club")
        self.other_club = self.a.group("otherclub")
        self.a.person("mallory")
        for community in (self.club, self.other_club):
            found = self.admin.api.get("/resolve_object", q=community["id"])["community"]["community"]
            self.admin.api.post("/community/follow", {"community_id": found["id"], "follow": True})
        self.club_id = self.admin.api.get("/resolve_object", q=self.club["id"])["community"]["community"]["id"]

    def stop(self) -> None:
        self.a.stop()
        self.v.stop()

    # --- things to attack -------------------------------------------------------------------------------------
    def victim(self) -> dict:
        """A fresh member of V that the server here knows (its key stored), with a post in `club`."""
        name = f"victim{next(_n)}"
        person = self.v.person(name)
        page = self.page(self.v, person["id"], self.club)
        found = self.admin.api.get("/resolve_object", q=page["id"])["post"]
        return {"person": person, "page": page, "post_id": found["post"]["id"], "person_id": found["creator"]["id"]}

    def page(self, host: Peer, author: str, community: dict, **extra: Any) -> dict:
        return host.add(
            {
                "id": host.url(f"/post/{uuid.uuid4().hex[:8]}"),
                "type": "Page",
                "attributedTo": author,
                "to": [community["id"], PUBLIC],
                "audience": community["id"],
                "name": extra.pop("name", "A post"),
                "content": "<p>body</p>",
                "mediaType": "text/html",
                "published": "2024-01-01T00:00:00Z",
                **extra,
            }
        )

    def post(self, post_id: int) -> dict:
        return self.admin.api.get("/post", id=post_id)["post_view"]

    # --- sending ----------------------------------------------------------------------------------------------
    def activity(self, host: Peer, kind: str, actor: str, obj: Any, **extra: Any) -> dict:
        return {
            "id": host.url(f"/activities/{kind.lower()}/{uuid.uuid4()}"),
            "type": kind,
            "actor": actor,
            "object": obj,
            "to": [PUBLIC],
            **extra,
        }

    def announce(self, inner: dict, community: dict | None = None) -> dict:
        community = community or self.club
        return {
            "id": self.a.url(f"/activities/announce/{uuid.uuid4()}"),
            "type": "Announce",
            "actor": community["id"],
            "to": [PUBLIC],
            "cc": [f"{community['id']}/followers"],
            "object": inner,
        }

    def send(self, sender: Peer, document: dict) -> tuple[int, str | None, str | None]:
        """(HTTP status, state, reason) of a delivery from `sender`'s host, once applied."""
        response = sender.send(f"{self.server.base_url}/inbox", document)
        if response.status_code >= 400:
            return response.status_code, None, None
        state, reason = settle(self.server)[document["id"]]
        return response.status_code, state, reason

    def forged_signature_works(self, victim: dict) -> bool:
        """Can A now act as the victim, signing with A's own key? (The takeover of the issue.)"""
        like = self.activity(self.v, "Like", victim["person"]["id"], victim["page"]["id"])
        body = json.dumps(like).encode()
        url = f"{self.server.base_url}/inbox"
        headers = signatures.sign_headers("POST", url, body, f"{victim['person']['id']}#main-key", self.a.private_key)
        response = httpx.post(url, content=body, headers={**headers, "Content-Type": "application/activity+json"})
        return response.status_code < 300


@pytest.fixture(scope="module")
def net(server_factory_module):
    started = Net(server_factory_module(**FAST))
    yield started
    started.stop()


# --- the table ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    activity: str  # what is sent
    wrapper: str  # "direct" or "announce" (by A's `club`)
    actor_host: str  # "A" or "V"
    object_host: str  # "A", "V" or "here"
    served_by_origin: bool  # V (or A) serves the inner activity at its id
    outcome: str  # "refused" (nothing changes) or "applied"

    def __str__(self) -> str:
        served = "served" if self.served_by_origin else "forged"
        return f"{self.activity}-{self.wrapper}-actor{self.actor_host}-object{self.object_host}-{served}"


def _update_person(net: Net, victim: dict) -> tuple[dict, Any]:
    _, attacker_public = net.a.private_key, net.a.public_key
    person = {
        **victim["person"],
        "name": "Taken over",
        "publicKey": {**victim["person"]["publicKey"], "publicKeyPem": attacker_public},
    }
    update = net.activity(net.v, "Update", victim["person"]["id"], person)
    return update, lambda: net.forged_signature_works(victim) or _display_name(net, victim) == "Taken over"


def _display_name(net: Net, victim: dict) -> str | None:
    return net.admin.api.get("/user", person_id=victim["person_id"])["person_view"]["person"].get("display_name")


def _delete_person(net: Net, victim: dict):
    delete = net.activity(net.v, "Delete", victim["person"]["id"], victim["person"]["id"], removeData=True)
    return (
        delete,
        lambda: net.post(victim["post_id"])["post"]["removed"] or net.post(victim["post_id"])["creator"]["deleted"],
    )


def _follow_home(net: Net, victim: dict):
    follow = net.activity(net.v, "Follow", victim["person"]["id"], net.home["actor_id"])
    before = _subscribers(net)
    return follow, lambda: _subscribers(net) != before


def _subscribers(net: Net) -> int:
    return net.admin.api.get("/community", id=net.home["id"])["community_view"]["counts"]["subscribers"]


def _create_page(net: Net, victim: dict):
    page = net.page(net.v, victim["person"]["id"], net.club, name=f"claimed {uuid.uuid4().hex[:6]}")
    del net.v.documents[page["id"].removeprefix(net.v.base_url)]  # V never wrote it
    create = net.activity(net.v, "Create", victim["person"]["id"], page)
    return create, lambda: any(p["post"]["name"] == page["name"] for p in _posts(net))


def _create_page_genuine(net: Net, victim: dict):
    page = net.page(net.v, victim["person"]["id"], net.club, name=f"genuine {uuid.uuid4().hex[:6]}")
    create = net.activity(net.v, "Create", victim["person"]["id"], page)
    return create, lambda: any(p["post"]["name"] == page["name"] for p in _posts(net))


def _create_note(net: Net, victim: dict):
    note = {
        "id": net.v.url(f"/comment/{uuid.uuid4().hex[:8]}"),
        "type": "Note",
        "attributedTo": victim["person"]["id"],
        "inReplyTo": victim["page"]["id"],
        "to": [PUBLIC],
        "audience": net.club["id"],
        "content": "<p>words put in a mouth</p>",
        "mediaType": "text/html",
    }
    create = net.activity(net.v, "Create", victim["person"]["id"], note)
    return create, lambda: net.post(victim["post_id"])["counts"]["comments"] > 0


def _like(net: Net, victim: dict):
    fan = net.v.person(f"fan{next(_n)}")
    like = net.activity(net.v, "Like", fan["id"], victim["page"]["id"])
    like.pop("to")  # votes go unaddressed, as Lemmy sends them
    return like, lambda: net.post(victim["post_id"])["counts"]["upvotes"] > 1


def _undo_like(net: Net, victim: dict):
    like = net.activity(net.v, "Like", victim["person"]["id"], victim["page"]["id"])  # the author's own vote
    like.pop("to")
    undo = net.activity(net.v, "Undo", victim["person"]["id"], like)
    return undo, lambda: net.post(victim["post_id"])["counts"]["upvotes"] < 1


def _delete_page(net: Net, victim: dict):
    delete = net.activity(net.v, "Delete", victim["person"]["id"], victim["page"]["id"])
    return delete, lambda: net.post(victim["post_id"])["post"]["deleted"]


def _update_page(net: Net, victim: dict):
    page = {**victim["page"], "name": "Edited by someone else"}
    update = net.activity(net.v, "Update", victim["person"]["id"], page)
    return update, lambda: net.post(victim["post_id"])["post"]["name"] == "Edited by someone else"


def _site_ban(net: Net, victim: dict):
    block = net.activity(net.v, "Block", net.v.url("/u/admin"), victim["person"]["id"], target=net.v.url("/"))
    net.v.person("admin")
    return block, lambda: net.admin.api.get("/user", person_id=victim["person_id"])["person_view"]["person"]["banned"]


def _ban_from_home(net: Net, victim: dict):
    block = net.activity(net.a, "Block", net.a.url("/u/mallory"), victim["person"]["id"], target=net.home["actor_id"])
    return block, lambda: False  # a refusal is all that can show: mallory moderates nothing here


def _update_other_group(net: Net, victim: dict):
    group = {**net.other_club, "name": "Renamed by club"}
    update = net.activity(net.a, "Update", net.a.url("/u/mallory"), group)
    return update, lambda: _title(net, net.other_club["id"]) == "Renamed by club"


def _title(net: Net, url: str) -> str:
    return net.admin.api.get("/resolve_object", q=url)["community"]["community"]["title"]


def _page_of_v_by_a(net: Net, victim: dict):
    """A's member claims a post whose id is on V."""
    page = {
        **victim["page"],
        "id": net.v.url(f"/post/{uuid.uuid4().hex[:8]}"),
        "attributedTo": net.a.url("/u/mallory"),
        "name": "planted",
    }
    create = net.activity(net.a, "Create", net.a.url("/u/mallory"), page)
    return create, lambda: any(p["post"]["name"] == "planted" for p in _posts(net))


def _note_by_v_from_a(net: Net, victim: dict):
    """A's member sends a comment of A's host that names the victim as its author."""
    note = {
        "id": net.a.url(f"/comment/{uuid.uuid4().hex[:8]}"),
        "type": "Note",
        "attributedTo": victim["person"]["id"],
        "inReplyTo": victim["page"]["id"],
        "to": [PUBLIC],
        "audience": net.club["id"],
        "content": "<p>not mine</p>",
        "mediaType": "text/html",
    }
    create = net.activity(net.a, "Create", net.a.url("/u/mallory"), note)
    return create, lambda: net.post(victim["post_id"])["counts"]["comments"] > 0


def _like_in_other_club(net: Net, victim: dict):
    page = net.page(net.a, net.a.url("/u/mallory"), net.other_club, name="elsewhere")
    post_id = net.admin.api.get("/resolve_object", q=page["id"])["post"]["post"]["id"]
    like = net.activity(net.a, "Like", net.a.url("/u/mallory"), page["id"])
    return like, lambda: net.post(post_id)["counts"]["upvotes"] > 1


def _chat_message(net: Net, victim: dict):
    member = Api(net.server.base_url).register()
    me = member.api.get("/site")["my_user"]["local_user_view"]["person"]["actor_id"]
    message = {
        "id": net.v.url(f"/private_message/{uuid.uuid4().hex[:8]}"),
        "type": "ChatMessage",
        "attributedTo": victim["person"]["id"],
        "to": [me],
        "content": "<p>psst</p>",
        "mediaType": "text/html",
    }
    create = net.activity(net.v, "Create", victim["person"]["id"], message, to=[me])
    return create, lambda: bool(member.api.get("/private_message/list")["private_messages"])


def _lock(net: Net, victim: dict):
    lock = net.activity(net.v, "Lock", victim["person"]["id"], victim["page"]["id"])
    return lock, lambda: net.post(victim["post_id"])["post"]["locked"]


def _add_moderator(net: Net, victim: dict):
    add = net.activity(
        net.v, "Add", victim["person"]["id"], victim["person"]["id"], target=f"{net.club['id']}/moderators"
    )
    return add, lambda: any(
        m["moderator"]["id"] == victim["person_id"]
        for m in net.admin.api.get("/community", id=net.club_id)["moderators"]
    )


def _flag(net: Net, victim: dict):
    flag = net.activity(net.v, "Flag", victim["person"]["id"], victim["page"]["id"], summary="spam")
    reports = lambda: net.admin.api.get("/post/report/list", unresolved_only=False)["post_reports"]  # noqa: E731
    return flag, lambda: any(report["post"]["id"] == victim["post_id"] for report in reports())


def _update_person_of_v_by_a(net: Net, victim: dict):
    person = {**victim["person"], "name": "Taken over"}
    update = net.activity(net.a, "Update", net.a.url("/u/mallory"), person)
    return update, lambda: _display_name(net, victim) == "Taken over"


def _posts(net: Net) -> list[dict]:
    return net.admin.api.get("/post/list", type_="All", sort="New", limit=50)["posts"]


BUILDERS = {
    "Update{Person}": _update_person,
    "Delete{Person}+removeData": _delete_person,
    "Follow": _follow_home,
    "Create{Page}": _create_page,
    "Create{Page}genuine": _create_page_genuine,
    "Create{Note}": _create_note,
    "Like": _like,
    "Undo{Like}": _undo_like,
    "Delete{Page}": _delete_page,
    "Update{Page}": _update_page,
    "Block{site}": _site_ban,
    "Block{another community}": _ban_from_home,
    "Update{another Group}": _update_other_group,
    "Create{Page of V}": _page_of_v_by_a,
    "Create{Note naming V}": _note_by_v_from_a,
    "Like{in another community}": _like_in_other_club,
    "Create{ChatMessage}": _chat_message,
    "Lock": _lock,
    "Add{moderator}": _add_moderator,
    "Flag": _flag,
    "Update{Person of V}": _update_person_of_v_by_a,
}

CASES = [
    # A relays what V's member supposedly did, and V never did it.
    *(
        Case(kind, "announce", "V", "V", False, "refused")
        for kind in (
            "Update{Person}",
            "Delete{Person}+removeData",
            "Follow",
            "Create{Page}",
            "Create{Note}",
            "Like",
            "Undo{Like}",
            "Delete{Page}",
            "Update{Page}",
            "Block{site}",
            "Create{ChatMessage}",
            "Lock",
            "Add{moderator}",
            "Flag",
        )
    ),
    # V did it, but no community may announce it: V sends it itself.
    *(
        Case(kind, "announce", "V", "V", True, "refused")
        for kind in ("Update{Person}", "Delete{Person}+removeData", "Follow", "Block{site}", "Create{ChatMessage}")
    ),
    # V did it, and it happened in A's community: V's own copy is applied.
    Case("Create{Page}genuine", "announce", "V", "V", True, "applied"),
    Case("Like", "announce", "V", "V", True, "applied"),
    Case("Update{Page}", "announce", "V", "V", True, "applied"),
    Case("Delete{Page}", "announce", "V", "V", True, "applied"),
    # A's own member, about what is not A's or not in the announcing community.
    Case("Create{Page of V}", "announce", "A", "V", False, "refused"),
    Case("Create{Page of V}", "direct", "A", "V", False, "refused"),
    Case("Update{Person of V}", "announce", "A", "V", False, "refused"),
    Case("Update{Person of V}", "direct", "A", "V", False, "refused"),
    Case("Create{Note naming V}", "announce", "A", "A", False, "refused"),
    Case("Create{Note naming V}", "direct", "A", "A", False, "refused"),
    Case("Update{another Group}", "announce", "A", "A", False, "refused"),
    Case("Like{in another community}", "announce", "A", "A", False, "refused"),
    Case("Block{another community}", "announce", "A", "here", False, "refused"),
    # A signs V's activities itself: refused at the door.
    *(
        Case(kind, "direct", "V", "V", False, "refused")
        for kind in ("Update{Person}", "Delete{Person}+removeData", "Follow", "Like", "Create{Page}")
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_no_server_speaks_for_another(net, case: Case):
    victim = net.victim()
    inner, happened = BUILDERS[case.activity](net, victim)
    origin = net.v if inner["actor"].startswith(net.v.base_url) else net.a
    if case.served_by_origin:
        origin.add(inner)
    document = net.announce(inner) if case.wrapper == "announce" else inner
    if case.wrapper == "direct" and case.actor_host == "V":  # A signs V's activity with its own member's key
        response = net.a.send(f"{net.server.base_url}/inbox", document, actor=net.a.url("/u/mallory"))
        assert response.status_code == 401 and "another server" in response.text, response.text
        assert not happened()
        return
    status, state, reason = net.send(net.a, document)  # the attacker's host signs all it sends
    if case.outcome == "applied":
        assert (status, state) == (202, "applied"), reason
        assert happened()
    else:  # refused, or (an Update its origin does not serve) the origin's unchanged copy applied
        assert status >= 400 or state in ("failed", "skipped") or case.activity == "Update{Page}", (state, reason)
        assert not happened(), f"{case} changed something ({state}: {reason})"
    assert not net.forged_signature_works(victim)


def test_a_pushed_key_is_ignored_and_a_key_is_taken_from_its_own_host(net):
    """V itself pushes an Update{Person} with a new key: the key changes only when V's actor document says so."""
    victim = net.victim()
    new_private, new_public = signatures.generate_key_pair()
    person = {**victim["person"], "publicKey": {**victim["person"]["publicKey"], "publicKeyPem": new_public}}
    update = net.activity(net.v, "Update", victim["person"]["id"], person)
    assert net.send(net.v, update)[1] == "applied"  # taken as "refetch me": V still serves the old key
    like = net.activity(net.v, "Like", victim["person"]["id"], victim["page"]["id"])
    body = json.dumps(like).encode()
    url = f"{net.server.base_url}/inbox"
    headers = signatures.sign_headers("POST", url, body, f"{victim['person']['id']}#main-key", new_private)
    signed_with_new = {**headers, "Content-Type": "application/activity+json"}
    assert httpx.post(url, content=body, headers=signed_with_new).status_code == 401
    net.v.add(person)  # V rotates its key for real
    assert httpx.post(url, content=body, headers=signed_with_new).status_code == 202  # refetched on failure
