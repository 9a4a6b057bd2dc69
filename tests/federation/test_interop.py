"""Behaviour other servers observe, as Lemmy 0.19 and PieFed do it: handles without a sigil, deleted objects not
resolved, bans that end past 2038, a community Delete with a summary, dotless hosts in mentions, and what our
comments' HTML links to."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from tests.federation.conftest import FAST, settle, wait_for
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api

pytestmark = pytest.mark.federation
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AP = {"Accept": "application/activity+json"}


@pytest.fixture
def setup(server_factory):
    server = server_factory(**FAST)
    peer = Peer().start()
    yield server, peer, make_admin(server)
    peer.stop()


def _activity(peer: Peer, kind: str, actor: str, obj, **extra) -> dict:
    return {
        "id": peer.url(f"/activities/{kind.lower()}/{uuid.uuid4()}"),
        "type": kind,
        "actor": actor,
        "object": obj,
        "to": [PUBLIC],
        **extra,
    }


def test_a_handle_without_a_sigil_finds_a_person_or_a_community(setup):
    server, peer, admin = setup
    peer.person("someone")
    peer.group("somewhere")
    found = admin.api.get("/resolve_object", q=f"someone@{peer.domain}")
    assert found["person"]["person"]["actor_id"] == peer.url("/u/someone")
    found = admin.api.get("/resolve_object", q=f"somewhere@{peer.domain}")
    assert found["community"]["community"]["actor_id"] == peer.url("/c/somewhere")
    anonymous = Api(server.base_url)  # known now: found from the database without a login
    found = anonymous.get("/resolve_object", q=f"somewhere@{peer.domain}")
    assert found["community"]["community"]["name"] == "somewhere"


def test_deleted_objects_are_not_resolved(setup):
    _server, _peer, admin = setup
    community = admin.community("main")["community"]
    post = admin.post(community["id"], name="soon gone")["post"]
    assert admin.api.get("/resolve_object", q=post["ap_id"])["post"]["post"]["id"] == post["id"]
    admin.api.post("/post/delete", {"post_id": post["id"], "deleted": True})
    assert admin.api.error("GET", "/resolve_object", q=post["ap_id"]) == (400, "couldnt_find_object")


def test_a_ban_ending_after_2038_is_a_permanent_ban(setup):
    """PieFed writes a permanent ban as the year 2100; Lemmy takes any end past ten years as permanent."""
    server, peer, admin = setup
    community = admin.community("main")["community"]
    spammer = peer.person("spammer")
    follow = _activity(peer, "Follow", spammer["id"], community["actor_id"])
    peer.send(f"{server.base_url}/inbox", follow)
    settle(server)
    peer.person("admin")
    block = _activity(
        peer,
        "Block",
        peer.url("/u/admin"),
        spammer["id"],
        target=peer.url("/"),
        endTime="2100-01-01T00:00:00Z",
        summary="spam",
    )
    peer.send(f"{server.base_url}/inbox", block)
    assert settle(server)[block["id"]] == ("applied", None)
    person_id = admin.api.get("/resolve_object", q=spammer["id"])["person"]["person"]["id"]
    person = admin.api.get("/user", person_id=person_id)["person_view"]["person"]
    assert person["banned"] is True and person.get("ban_expires") is None
    member = Api(server.base_url).register()
    year_3000 = int(datetime(3000, 1, 1, tzinfo=UTC).timestamp())
    body = {"community_id": community["id"], "person_id": member.person_id, "ban": True, "expires": year_3000}
    assert admin.api.post("/community/ban_user", body)["banned"] is True  # the API takes it as Lemmy does


def test_a_community_delete_with_a_summary_is_a_removal(setup):
    server, peer, admin = setup
    group = peer.group("doomed")
    community_id = admin.api.get("/resolve_object", q=group["id"])["community"]["community"]["id"]
    peer.person("admin")
    delete = _activity(peer, "Delete", peer.url("/u/admin"), group["id"], summary="")
    peer.send(f"{server.base_url}/inbox", delete)
    assert settle(server)[delete["id"]] == ("applied", None)
    view = admin.api.get("/community", id=community_id)["community_view"]["community"]
    assert view["removed"] is True and view["deleted"] is False


def test_our_comments_link_mentions_and_communities_absolutely(setup):
    server, _peer, admin = setup
    community = admin.community("main")["community"]
    post = admin.post(community["id"], name="links")["post"]
    comment = admin.comment(post["id"], f"hi @bob@lemmy-beta:8551 see !{community['name']}@{server.settings.hostname}")
    note = httpx.get(comment["comment"]["ap_id"], headers=AP).json()
    assert f'href="{server.settings.base_url}/u/bob@lemmy-beta:8551"' in note["content"]
    assert f'href="{server.settings.base_url}/c/{community["name"]}@{server.settings.hostname}"' in note["content"]


def test_a_community_found_by_name_or_resolved_comes_with_its_posts(setup):
    """GET /community?name=name@host fetches an unknown community for a logged-in reader (Lemmy does), and a
    community new here brings its recent posts (its outbox), pinned posts (its featured collection), and the
    comments its server lists in each post's replies collection."""
    server, peer, admin = setup
    group = peer.group("reading", featured=peer.url("/c/reading/featured"))
    author = peer.person("writer")["id"]
    pages = [
        peer.add(
            {
                "id": peer.url(f"/post/{n}"),
                "type": "Page",
                "attributedTo": author,
                "to": [group["id"], PUBLIC],
                "audience": group["id"],
                "name": f"post {n}",
                "published": "2024-01-01T00:00:00Z",
            }
        )
        for n in (1, 2)
    ]
    pages[0]["replies"] = peer.url("/post/1/replies")  # Mastodon's and PieFed's shape: a paged collection
    notes = [
        {
            "id": peer.url(f"/comment/{n}"),
            "type": "Note",
            "attributedTo": author,
            "to": [PUBLIC],
            "inReplyTo": peer.url("/post/1") if n == 1 else peer.url("/comment/1"),
            "content": f"<p>reply {n}</p>",
            "mediaType": "text/html",
            "published": "2024-01-02T00:00:00Z",
        }
        for n in (1, 2)
    ]
    peer.add(
        {
            "id": peer.url("/post/1/replies"),
            "type": "Collection",
            "first": {"type": "CollectionPage", "items": [notes[0]], "next": peer.url("/post/1/replies/2")},
        }
    )
    peer.add({"id": peer.url("/post/1/replies/2"), "type": "CollectionPage", "items": [notes[1]]})
    peer.add(
        {
            "id": peer.url("/c/reading/outbox"),
            "type": "OrderedCollection",
            "totalItems": 1,
            "orderedItems": [_activity(peer, "Create", author, pages[0])],
        }
    )
    peer.add({"id": peer.url("/c/reading/featured"), "type": "OrderedCollection", "orderedItems": [pages[1]]})
    anonymous = Api(server.base_url)
    assert anonymous.error("GET", "/community", name=f"reading@{peer.domain}")[1] == "couldnt_find_community"
    found = admin.api.get("/community", name=f"reading@{peer.domain.upper()}")  # any casing of the host
    community_id = found["community_view"]["community"]["id"]

    def listed():
        return {
            p["post"]["name"]: p["post"]["featured_community"]
            for p in admin.api.get("/post/list", community_id=community_id, sort="New")["posts"]
        }

    backfilled = wait_for(lambda: len(listed()) == 2 and listed(), message="the backfill")
    assert backfilled == {"post 1": False, "post 2": True}
    posts = admin.api.get("/post/list", community_id=community_id)["posts"]
    post_1 = next(p["post"]["id"] for p in posts if p["post"]["name"] == "post 1")
    comments = wait_for(
        lambda: len(c := admin.api.get("/comment/list", post_id=post_1)["comments"]) == 2 and c, message="the comments"
    )
    assert sorted(c["comment"]["path"].count(".") for c in comments) == [1, 2]  # the reply under its parent
    peer.person("reader")
    found = admin.api.get("/user", username=f"reader@{peer.domain}")["person_view"]["person"]
    assert found["actor_id"] == peer.url("/u/reader")


def _follows_received(peer: Peer, group: dict) -> list[dict]:
    return [
        r["activity"]
        for r in peer.received
        if r["activity"]["type"] == "Follow" and r["activity"]["object"] == group["id"]
    ]


def test_a_follow_refused_or_never_answered_can_be_sent_again(setup):
    server, peer, _admin = setup
    group = peer.group("silent")
    member = Api(server.base_url).register()
    community_id = member.api.get("/resolve_object", q=group["id"])["community"]["community"]["id"]
    body = {"community_id": community_id, "follow": True}
    assert member.api.post("/community/follow", body)["community_view"]["subscribed"] == "Pending"
    wait_for(lambda: len(_follows_received(peer, group)) == 1, message="the Follow")
    assert member.api.post("/community/follow", body)["community_view"]["subscribed"] == "Pending"
    follows = wait_for(lambda: len(found := _follows_received(peer, group)) == 2 and found, message="a new Follow")
    assert follows[0]["id"] != follows[1]["id"]
    reject = _activity(peer, "Reject", group["id"], follows[1], to=[follows[1]["actor"]])
    peer.send(f"{server.base_url}/inbox", reject)
    assert settle(server)[reject["id"]] == ("applied", None)
    assert member.api.get("/community", id=community_id)["community_view"]["subscribed"] == "NotSubscribed"
    assert member.api.post("/community/follow", body)["community_view"]["subscribed"] == "Pending"
    wait_for(lambda: len(_follows_received(peer, group)) == 3, message="a Follow after the Reject")
    assert [r["activity"]["type"] for r in peer.received] == ["Follow"] * 3  # a Reject is not answered by an Undo


def test_a_reply_tags_the_author_it_answers(setup):
    """Lemmy tags the author a comment replies to; PieFed notifies only people a Mention tag names."""
    server, _peer, admin = setup
    community = admin.community()["community"]
    post = admin.post(community["id"], name="talk")["post"]
    replier = Api(server.base_url).register()
    top = replier.comment(post["id"], "a top-level reply")["comment"]
    nested = admin.comment(post["id"], "an answer", parent_id=top["id"])["comment"]
    mine = admin.comment(post["id"], "talking to myself", parent_id=nested["id"])["comment"]

    def tags(comment: dict) -> list[dict]:
        return httpx.get(comment["ap_id"], headers=AP).json().get("tag") or []

    host = server.settings.hostname
    admin_url = f"{server.settings.base_url}/u/{admin.name}"
    assert tags(top) == [{"href": admin_url, "type": "Mention", "name": f"@{admin.name}@{host}"}]
    replier_url = f"{server.settings.base_url}/u/{replier.name}"
    assert tags(nested) == [{"href": replier_url, "type": "Mention", "name": f"@{replier.name}@{host}"}]
    assert tags(mine) == []  # no one is told of their own words


def test_a_server_s_ban_of_its_own_member_leaves_our_community_bans_alone(setup):
    """Our site ban of a remote person bans them from our communities too; their server's site ban, mirrored
    here, does not, and its undo does not lift the ban our moderators gave."""
    server, peer, admin = setup
    community = admin.community()["community"]
    spammer = peer.person("spammer")["id"]
    page = {
        "id": peer.url("/post/1"),
        "type": "Page",
        "attributedTo": spammer,
        "name": "spam",
        "to": [community["actor_id"], PUBLIC],
        "audience": community["actor_id"],
    }
    create = _activity(peer, "Create", spammer, page, cc=[community["actor_id"]])
    peer.send(f"{server.base_url}/inbox", create)
    assert settle(server)[create["id"]] == ("applied", None)
    post_id = admin.api.get("/resolve_object", q=page["id"])["post"]["post"]["id"]
    person_id = admin.api.get("/post", id=post_id)["post_view"]["creator"]["id"]
    admin.api.post("/community/ban_user", {"community_id": community["id"], "person_id": person_id, "ban": True})
    peer.person("admin")
    block = _activity(peer, "Block", peer.url("/u/admin"), spammer, target=peer.url("/"))
    undo = _activity(peer, "Undo", peer.url("/u/admin"), block)
    for activity in (block, undo):
        peer.send(f"{server.base_url}/inbox", activity)
        assert settle(server)[activity["id"]] == ("applied", None)
    assert admin.api.get("/post", id=post_id)["post_view"]["creator_banned_from_community"] is True


def test_a_distinguished_comment_stays_distinguished_where_its_community_is_followed(server_factory):
    """Lemmy's "Distinguish comment": the community's creator comments, distinguishes it, and a follower server
    shows it distinguished."""
    beta, alpha = server_factory(**FAST), server_factory(**FAST)
    beta_admin, alpha_admin = make_admin(beta), make_admin(alpha)
    community = beta_admin.community("main")["community"]
    handle = f"!main@{beta.settings.hostname}"
    community_here = alpha_admin.api.get("/resolve_object", q=handle)["community"]["community"]["id"]
    alpha_admin.api.post("/community/follow", {"community_id": community_here, "follow": True})
    wait_for(
        lambda: alpha_admin.api.get("/community", id=community_here)["community_view"]["subscribed"] == "Subscribed",
        message="the Accept",
    )
    post = beta_admin.post(community["id"], name="distinguished")["post"]
    comment = beta_admin.comment(post["id"], "mod speaking")["comment"]
    beta_admin.api.post("/comment/distinguish", {"comment_id": comment["id"], "distinguished": True})
    post_here = alpha_admin.api.get("/resolve_object", q=post["ap_id"])["post"]["post"]["id"]
    wait_for(
        lambda: (
            (c := alpha_admin.api.get("/comment/list", post_id=post_here)["comments"])
            and c[0]["comment"]["distinguished"]
        ),
        message="the distinguished comment",
    )


def test_a_post_resolved_without_following_comes_with_its_thread(server_factory):
    """Lemmy's "Distinguish comment" after its suite has unfollowed: alpha follows nothing of beta's, a member
    resolves beta's post, and alpha shows its comments (parents first, the distinguished flag kept) from the
    post's `replies` collection; a removed comment is not listed."""
    beta, alpha = server_factory(**FAST), server_factory(**FAST)
    beta_admin, alpha_admin = make_admin(beta), make_admin(alpha)
    community = beta_admin.community("main")["community"]
    alpha_admin.api.get("/resolve_object", q=f"!main@{beta.settings.hostname}")
    # the community's own backfill (its outbox, then each new post's replies) is over before the post exists
    wait_for(lambda: not alpha.state.extras.get("backfills"), message="the community's backfill")
    post = beta_admin.post(community["id"], name="thread")["post"]
    top = beta_admin.comment(post["id"], "mod speaking")["comment"]
    beta_admin.api.post("/comment/distinguish", {"comment_id": top["id"], "distinguished": True})
    beta_admin.comment(post["id"], "a reply", parent_id=top["id"])
    gone = beta_admin.comment(post["id"], "removed one")["comment"]
    beta_admin.api.post("/comment/remove", {"comment_id": gone["id"], "removed": True, "reason": "spam"})
    replies = httpx.get(f"{post['ap_id']}/replies", headers={"accept": "application/activity+json"}).json()
    assert replies["type"] == "OrderedCollection" and replies["totalItems"] == 2
    assert replies["orderedItems"][0] == top["ap_id"]

    post_here = alpha_admin.api.get("/resolve_object", q=post["ap_id"])["post"]["post"]["id"]
    wait_for(
        lambda: len(alpha_admin.api.get("/comment/list", post_id=post_here)["comments"]) == 2,
        message="the thread",
    )
    found = {
        c["comment"]["content"]: c["comment"]["distinguished"]
        for c in alpha_admin.api.get("/comment/list", post_id=post_here)["comments"]
    }
    assert found == {"mod speaking": True, "a reply": False}


def test_a_remote_community_decides_a_follow_even_while_our_copy_of_its_ban_stands(setup):
    """Lemmy sends the Follow of a remote community whatever its copy of a ban says: the community's home decides,
    and an unban that has not arrived yet must not refuse the member (Lemmy's "Enforce community ban")."""
    server, peer, _admin = setup
    group = peer.group("strict")
    member = Api(server.base_url).register("rebel")
    community_id = member.api.get("/resolve_object", q=group["id"])["community"]["community"]["id"]
    member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    me = member.api.get("/site")["my_user"]["local_user_view"]["person"]["actor_id"]
    peer.person("mod")
    block = _activity(peer, "Block", peer.url("/u/mod"), me, target=group["id"])
    peer.send(f"{server.base_url}/inbox", block)
    assert settle(server)[block["id"]] == ("applied", None)
    assert member.api.get("/community", id=community_id)["community_view"]["banned_from_community"] is True
    follows_before = len([r for r in peer.received if r["activity"]["type"] == "Follow"])
    answer = member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    assert answer["community_view"]["subscribed"] == "Pending"
    wait_for(
        lambda: len([r for r in peer.received if r["activity"]["type"] == "Follow"]) > follows_before,
        message="the Follow",
    )
