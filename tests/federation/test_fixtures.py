"""Every activity Lemmy 0.19 and 1.0 and Mastodon really send (../shared/fixtures/activitypub), signed by a peer
on loopback, arrives at the inbox and leaves the state it should."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.federation.conftest import needs_fixtures, settle, wait_for
from tests.support.client import Api

pytestmark = [pytest.mark.federation, needs_fixtures]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
BOTH = pytest.mark.parametrize("version", ["0.19", "1.0"])
THIRD = "us.example"  # the server under test plays none of the fixture's hosts


def page(world, host: str, path: str, community: str, *, creator: str = "/u/lemmy_alpha", name: str = "A post"):
    peer = world.peer(host)
    community_url = world.url(community)
    return peer.add(
        {
            "id": peer.url(path),
            "type": "Page",
            "attributedTo": peer.url(creator),
            "to": [community_url, PUBLIC],
            "audience": community_url,
            "name": name,
            "content": "<p>body</p>",
            "mediaType": "text/html",
            "published": "2024-01-01T00:00:00Z",
        }
    )


def comment(world, host: str, path: str, in_reply_to: str, community: str, *, creator: str = "/u/commenter"):
    peer = world.peer(host)
    community_url = world.url(community)
    return peer.add(
        {
            "id": peer.url(path),
            "type": "Note",
            "attributedTo": peer.url(creator),
            "to": [PUBLIC],
            "cc": [community_url],
            "audience": community_url,
            "inReplyTo": world.url(in_reply_to),
            "content": "<p>a remote comment</p>",
            "mediaType": "text/html",
            "published": "2024-01-01T00:00:00Z",
        }
    )


def resolve(world, url: str) -> dict:
    return world.admin.api.get("/resolve_object", q=world.url(url))


def follow_remote(world, community_url: str, member=None) -> int:
    member = member or world.admin
    community_id = member.api.get("/resolve_object", q=world.url(community_url))["community"]["community"]["id"]
    member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    return community_id


def post_view(world, post_id: int) -> dict:
    return world.admin.api.get("/post", id=post_id)["post_view"]


def posts(world) -> list[dict]:
    return world.admin.api.get("/post/list", type_="All", sort="New")["posts"]


def future(document: dict, field: str) -> dict:
    document[field] = (datetime.now(UTC) + timedelta(days=3)).isoformat().replace("+00:00", "Z")
    return document


# --- following -------------------------------------------------------------------------------------------------
@BOTH
def test_follow_of_our_community_is_accepted_and_counted(world_factory, version):
    world = world_factory("enterprise.lemmy.ml")
    community = world.admin.community("main")["community"]
    follow = world.fixture(version, "lemmy/activities/following/follow.json")
    assert world.apply(follow) == ("applied", None)
    assert world.admin.api.get("/community", id=community["id"])["community_view"]["counts"]["subscribers"] == 2
    ds9 = world.peer("ds9.lemmy.ml")
    accept = wait_for(lambda: [r["activity"] for r in ds9.received if r["activity"]["type"] == "Accept"])[0]
    assert accept["object"]["id"] == follow["id"] and accept["actor"] == community["actor_id"]
    undo = world.fixture(version, "lemmy/activities/following/undo_follow.json")
    assert world.apply(undo) == ("applied", None)
    assert world.admin.api.get("/community", id=community["id"])["community_view"]["counts"]["subscribers"] == 1


@BOTH
def test_accept_makes_our_pending_follow_a_subscription(world_factory, version):
    world = world_factory("ds9.lemmy.ml")
    alpha = Api(world.server.base_url).register("lemmy_alpha")
    community_id = follow_remote(world, "http://enterprise.lemmy.ml/c/main", alpha)
    view = alpha.api.get("/community", id=community_id)["community_view"]
    assert view["subscribed"] == "Pending"
    enterprise = world.peer("enterprise.lemmy.ml")
    sent = wait_for(lambda: [r["activity"] for r in enterprise.received if r["activity"]["type"] == "Follow"])[0]
    assert sent["actor"].endswith("/u/lemmy_alpha") and sent["object"] == world.url("http://enterprise.lemmy.ml/c/main")
    assert world.apply(world.fixture(version, "lemmy/activities/following/accept.json")) == ("applied", None)
    assert alpha.api.get("/community", id=community_id)["community_view"]["subscribed"] == "Subscribed"


def test_mastodon_follow_and_undo(world_factory):
    world = world_factory("ds9.lemmy.ml")
    community = world.admin.community("testcom")["community"]
    assert world.apply(world.fixture("0.19", "mastodon/activities/follow.json")) == ("applied", None)
    assert world.admin.api.get("/community", id=community["id"])["community_view"]["counts"]["subscribers"] == 2
    assert world.apply(world.fixture("0.19", "mastodon/activities/undo_follow.json")) == ("applied", None)
    assert world.admin.api.get("/community", id=community["id"])["community_view"]["counts"]["subscribers"] == 1


# --- posts and comments --------------------------------------------------------------------------------------
@BOTH
def test_create_update_delete_and_restore_a_post(world_factory, version):
    world = world_factory("enterprise.lemmy.ml")
    world.admin.community("main")
    base = "lemmy/activities/"
    assert world.apply(world.fixture(version, base + "create_or_update/create_page.json")) == ("applied", None)
    [view] = posts(world)
    assert view["post"]["name"] == "test post" and view["post"]["body"] == "test body"
    assert view["post"]["url"] == "https://lemmy.ml/pictrs/image/xl8W7FZfk9.jpg" and not view["post"]["local"]
    assert view["creator"]["name"] == "lemmy_alpha" and view["creator"]["local"] is False
    assert view["post"]["language_id"] != 0  # Korean, by its code
    assert world.apply(world.fixture(version, base + "create_or_update/update_page.json")) == ("applied", None)
    assert post_view(world, view["post"]["id"])["post"]["name"] == "test post 1"
    assert world.apply(world.fixture(version, base + "deletion/delete_page.json")) == ("applied", None)
    assert post_view(world, view["post"]["id"])["post"]["deleted"] is True
    assert world.apply(world.fixture(version, base + "deletion/undo_delete_page.json")) == ("applied", None)
    assert post_view(world, view["post"]["id"])["post"]["deleted"] is False


@BOTH
def test_create_comment_fetches_its_post(world_factory, version):
    world = world_factory("enterprise.lemmy.ml")
    world.admin.community("main")
    page(world, "ds9.lemmy.ml", "/post/1", "http://enterprise.lemmy.ml/c/main", name="The post")
    name = "create_note.json" if version == "0.19" else "create_comment.json"
    assert world.apply(world.fixture(version, f"lemmy/activities/create_or_update/{name}")) == ("applied", None)
    [view] = posts(world)
    assert view["post"]["name"] == "The post" and view["counts"]["comments"] == 1
    [found] = world.admin.api.get("/comment/list", post_id=view["post"]["id"])["comments"]
    assert found["comment"]["content"] == "hello" and found["creator"]["name"] == "lemmy_alpha"


@BOTH
def test_announced_create_in_a_followed_community(world_factory, version):
    world = world_factory(THIRD)
    follow_remote(world, "http://enterprise.lemmy.ml/c/main")
    announce = world.fixture(version, "lemmy/activities/community/announce_create_page.json")
    assert world.apply(announce) == ("applied", None)
    [view] = posts(world)
    assert view["post"]["name"] == "post 4" and view["community"]["name"] == "main"
    inner = announce["object"]["id"]
    assert settle(world.server)[inner][0] == "applied"  # a direct copy later is recognised


def test_announce_into_a_community_nobody_here_follows_is_refused(world_factory):
    world = world_factory(THIRD)
    announce = world.fixture("0.19", "lemmy/activities/community/announce_create_page.json")
    state, reason = world.apply(announce)
    assert state == "failed" and "no one here follows" in reason
    assert posts(world) == []


# --- votes ---------------------------------------------------------------------------------------------------
@BOTH
def test_dislike_and_undo_of_a_post(world_factory, version):
    world = world_factory(THIRD)
    follow_remote(world, "https://enterprise.lemmy.ml/c/tenforward")
    page(world, "ds9.lemmy.ml", "/post/1", "https://enterprise.lemmy.ml/c/tenforward")
    assert world.apply(world.fixture(version, "lemmy/activities/voting/dislike_page.json")) == ("applied", None)
    [view] = posts(world)
    assert (view["counts"]["upvotes"], view["counts"]["downvotes"]) == (1, 1)
    assert world.apply(world.fixture(version, "lemmy/activities/voting/undo_dislike_page.json")) == ("applied", None)
    assert post_view(world, view["post"]["id"])["counts"]["downvotes"] == 0


@BOTH
def test_like_and_undo_of_a_comment(world_factory, version):
    world = world_factory(THIRD)
    follow_remote(world, "https://enterprise.lemmy.ml/c/tenforward")
    page(world, "ds9.lemmy.ml", "/post/1", "https://enterprise.lemmy.ml/c/tenforward")
    comment(
        world, "ds9.lemmy.ml", "/comment/1", "http://ds9.lemmy.ml/post/1", "https://enterprise.lemmy.ml/c/tenforward"
    )
    assert world.apply(world.fixture(version, "lemmy/activities/voting/like_note.json")) == ("applied", None)
    [view] = posts(world)
    [found] = world.admin.api.get("/comment/list", post_id=view["post"]["id"])["comments"]
    assert found["counts"]["upvotes"] == 2
    assert world.apply(world.fixture(version, "lemmy/activities/voting/undo_like_note.json")) == ("applied", None)
    [found] = world.admin.api.get("/comment/list", post_id=view["post"]["id"])["comments"]
    assert found["counts"]["upvotes"] == 1


def announced(world, community: str, inner: dict, n: int) -> dict:
    community_url = world.url(community)
    return {
        "id": f"{community_url}/activities/announce/{n}",
        "type": "Announce",
        "actor": community_url,
        "to": [PUBLIC],
        "cc": [f"{community_url}/followers"],
        "object": inner,
    }


def test_announced_votes_are_counted_once_and_their_ids_kept(world_factory):
    world = world_factory(THIRD)
    tenforward = "https://enterprise.lemmy.ml/c/tenforward"
    follow_remote(world, tenforward)
    page(world, "ds9.lemmy.ml", "/post/1", tenforward)
    dislike = world.fixture("0.19", "lemmy/activities/voting/dislike_page.json")
    assert world.apply(announced(world, tenforward, dislike, 1)) == ("applied", None)
    assert settle(world.server)[dislike["id"]] == ("applied", "announced")  # kept in the vote's own commit
    [view] = posts(world)
    assert (view["counts"]["upvotes"], view["counts"]["downvotes"]) == (1, 1)
    assert world.deliver(dislike, expect=200).json() == {"status": "duplicate"}  # the direct copy, later
    undo = world.fixture("0.19", "lemmy/activities/voting/undo_dislike_page.json")
    assert world.apply(announced(world, tenforward, undo, 2)) == ("applied", None)
    assert settle(world.server)[undo["id"]] == ("applied", "announced")
    assert post_view(world, view["post"]["id"])["counts"]["downvotes"] == 0


def test_a_refused_announced_vote_leaves_no_trace(world_factory):
    world = world_factory(THIRD)
    tenforward, main = "https://enterprise.lemmy.ml/c/tenforward", "https://enterprise.lemmy.ml/c/main"
    follow_remote(world, tenforward)
    follow_remote(world, main)
    page(world, "ds9.lemmy.ml", "/post/1", tenforward)
    resolve(world, "http://ds9.lemmy.ml/post/1")
    dislike = world.fixture("0.19", "lemmy/activities/voting/dislike_page.json")
    state, reason = world.apply(announced(world, main, dislike, 1))  # main announcing a vote in tenforward
    assert state == "failed" and "not in it" in reason
    assert dislike["id"] not in settle(world.server)  # not kept: the community's own copy may still come
    [view] = posts(world)
    assert view["counts"]["downvotes"] == 0
    assert world.apply(announced(world, tenforward, dislike, 2)) == ("applied", None)
    assert post_view(world, view["post"]["id"])["counts"]["downvotes"] == 1


def test_mastodon_like_and_undo_of_our_post(world_factory):
    world = world_factory("ds9.lemmy.ml")
    community = world.admin.community("main")["community"]
    post = world.admin.post(community["id"], name="Our post")["post"]
    world.replacements["https://ds9.lemmy.ml/post/147"] = post["ap_id"]
    assert world.apply(world.fixture("0.19", "mastodon/activities/like_page.json")) == ("applied", None)
    assert post_view(world, post["id"])["counts"]["upvotes"] == 2
    assert world.apply(world.fixture("0.19", "mastodon/activities/undo_like_page.json")) == ("applied", None)
    assert post_view(world, post["id"])["counts"]["upvotes"] == 1


# --- moderation ----------------------------------------------------------------------------------------------
@BOTH
def test_lock_and_unlock(world_factory, version):
    world = world_factory(THIRD)
    page(world, "lemmy-alpha:8541", "/post/2", "http://lemmy-alpha:8541/c/main")
    post_id = resolve(world, "http://lemmy-alpha:8541/post/2")["post"]["post"]["id"]
    assert world.apply(world.fixture(version, "lemmy/activities/community/lock_page.json")) == ("applied", None)
    assert post_view(world, post_id)["post"]["locked"] is True
    assert world.apply(world.fixture(version, "lemmy/activities/community/undo_lock_page.json")) == ("applied", None)
    assert post_view(world, post_id)["post"]["locked"] is False


def test_comment_lock_of_lemmy_1_locks_the_subtree_and_undo_unlocks(world_factory):
    world = world_factory(THIRD)
    page(world, "lemmy-alpha", "/post/1", "https://lemmy-alpha/c/test")
    comment(world, "lemmy-alpha", "/comment/1", "https://lemmy-alpha/post/1", "https://lemmy-alpha/c/test")
    comment_id = resolve(world, "https://lemmy-alpha/comment/1")["comment"]["comment"]["id"]
    reader = world.admin.api.register()
    v4 = Api(world.server.base_url, world.admin.api.token, "/api/v4")
    assert world.apply(world.fixture("1.0", "lemmy/activities/community/lock_note.json")) == ("applied", None)
    assert v4.get("/comment", id=comment_id)["comment_view"]["comment"]["locked"] is True
    post_id = v4.get("/comment", id=comment_id)["comment_view"]["post"]["id"]
    reply = {"post_id": post_id, "parent_id": comment_id, "content": "too late"}
    assert reader.api.error("POST", "/comment", reply)[1] == "locked"
    log = v4.get("/modlog", type_="mod_lock_comment")["items"]
    assert log[0]["modlog"]["reason"] == "A reason for a lock" and log[0]["target_comment"]["id"] == comment_id
    assert world.apply(world.fixture("1.0", "lemmy/activities/community/undo_lock_note.json")) == ("applied", None)
    assert v4.get("/comment", id=comment_id)["comment_view"]["comment"]["locked"] is False
    made = reader.api.post("/comment", reply)["comment_view"]["comment"]
    assert made["path"].split(".")[-2] == str(comment_id)


@BOTH
def test_feature_and_unfeature(world_factory, version):
    world = world_factory(THIRD)
    page(world, "ds9.lemmy.ml", "/post/2", "https://ds9.lemmy.ml/c/main")
    post_id = resolve(world, "https://ds9.lemmy.ml/post/2")["post"]["post"]["id"]
    add = world.fixture(version, "lemmy/activities/community/add_featured_post.json")
    assert world.apply(add) == ("applied", None)
    assert post_view(world, post_id)["post"]["featured_community"] is True
    remove = world.fixture(version, "lemmy/activities/community/remove_featured_post.json")
    remove["id"] += "-remove"  # Lemmy's own fixture reuses the Add's id
    assert world.apply(remove) == ("applied", None)
    assert post_view(world, post_id)["post"]["featured_community"] is False


@BOTH
def test_add_and_remove_moderator(world_factory, version):
    world = world_factory(THIRD)
    community_id = resolve(world, "http://enterprise.lemmy.ml/c/main")["community"]["community"]["id"]
    assert world.apply(world.fixture(version, "lemmy/activities/community/add_mod.json")) == ("applied", None)
    moderators = world.admin.api.get("/community", id=community_id)["moderators"]
    assert [m["moderator"]["name"] for m in moderators] == ["lemmy_alpha"]
    assert world.apply(world.fixture(version, "lemmy/activities/community/remove_mod.json")) == ("applied", None)
    assert world.admin.api.get("/community", id=community_id)["moderators"] == []


@BOTH
def test_moderator_removal_and_restore_of_a_comment(world_factory, version):
    world = world_factory(THIRD)
    page(world, "ds9.lemmy.ml", "/post/1", "http://enterprise.lemmy.ml/c/main")
    comment(world, "ds9.lemmy.ml", "/comment/1", "http://ds9.lemmy.ml/post/1", "http://enterprise.lemmy.ml/c/main")
    comment_id = resolve(world, "http://ds9.lemmy.ml/comment/1")["comment"]["comment"]["id"]
    assert world.apply(world.fixture(version, "lemmy/activities/deletion/remove_note.json")) == ("applied", None)
    assert world.admin.api.get("/comment", id=comment_id)["comment_view"]["comment"]["removed"] is True
    modlog = world.admin.api.get("/modlog", type_="ModRemoveComment")["removed_comments"]
    assert modlog[0]["mod_remove_comment"]["reason"] == "bad comment"
    assert world.apply(world.fixture(version, "lemmy/activities/deletion/undo_remove_note.json")) == ("applied", None)
    assert world.admin.api.get("/comment", id=comment_id)["comment_view"]["comment"]["removed"] is False


@BOTH
def test_community_ban_with_expiry_and_unban(world_factory, version):
    world = world_factory(THIRD)
    resolve(world, "http://enterprise.lemmy.ml/c/main")
    resolve(world, "http://ds9.lemmy.ml/u/lemmy_alpha")
    block = world.fixture(version, "lemmy/activities/block/block_user.json")
    field = "expires" if version == "0.19" else "endTime"
    state, reason = world.apply(block)  # as recorded: its expiry (2021) is long past
    assert state == "skipped" and "already expired" in reason
    block["id"] += "-again"
    assert world.apply(future(block, field)) == ("applied", None)
    [entry] = world.admin.api.get("/modlog", type_="ModBanFromCommunity")["banned_from_community"]
    assert (
        entry["mod_ban_from_community"]["banned"] is True and entry["mod_ban_from_community"]["reason"] == "spam post"
    )
    assert entry["banned_person"]["name"] == "lemmy_alpha" and entry["mod_ban_from_community"]["expires"]
    undo = world.fixture(version, "lemmy/activities/block/undo_block_user.json")
    assert world.apply(undo) == ("applied", None)
    entries = world.admin.api.get("/modlog", type_="ModBanFromCommunity")["banned_from_community"]
    assert entries[0]["mod_ban_from_community"]["banned"] is False


@BOTH
def test_report_of_our_post(world_factory, version):
    world = world_factory("enterprise.lemmy.ml")
    community = world.admin.community("main")["community"]
    post = world.admin.post(community["id"], name="Reported post")["post"]
    world.replacements["http://enterprise.lemmy.ml/post/7"] = post["ap_id"]
    assert world.apply(world.fixture(version, "lemmy/activities/community/report_page.json")) == ("applied", None)
    [report] = world.admin.api.get("/post/report/list")["post_reports"]
    assert report["post_report"]["reason"] == "report this post" and report["creator"]["name"] == "lemmy_alpha"
    if version == "1.0":
        resolved = world.fixture(version, "lemmy/activities/community/resolve_report_page.json")
        state, reason = world.apply(resolved)
        assert state == "failed" and "not_a_mod_or_admin" in reason  # lemmy_user moderates nothing here
        assert len(world.admin.api.get("/post/report/list")["post_reports"]) == 1


def test_mastodon_flag_of_our_post(world_factory):
    world = world_factory("example.com")
    world.peer("mastodon.example").person("actor", "/actor")
    community = world.admin.community("main")["community"]
    post = world.admin.post(community["id"], name="Reported post")["post"]
    world.replacements["https://example.com/posts/380590"] = post["ap_id"]
    assert world.apply(world.fixture("0.19", "mastodon/activities/flag.json")) == ("applied", None)
    [report] = world.admin.api.get("/post/report/list")["post_reports"]
    assert report["post_report"]["reason"] == "Please take a look at this user and their posts"


def test_lemmy_1_warning_reaches_the_author(world_factory):
    world = world_factory("voyager.lemmy.ml")
    community_id = resolve(world, "http://enterprise.lemmy.ml/c/main")["community"]["community"]["id"]
    author = Api(world.server.base_url).register("lemmy_alpha")
    post = author.post(community_id, name="Warned post")["post"]
    world.replacements["http://voyager.lemmy.ml/post/1541"] = post["ap_id"]
    assert world.apply(world.fixture("1.0", "lemmy/activities/community/warn.json")) == ("applied", None)
    [warning] = author.api.get("/agora/warning/list")["warnings"]
    assert warning["warning"]["reason"] == "fU8HltC5wq"


@BOTH
def test_update_of_a_remote_community_takes_its_own_copy(world_factory, version):
    world = world_factory(THIRD)
    update = world.fixture(version, "lemmy/activities/community/update_community.json")
    enterprise = world.peer("enterprise.lemmy.ml")
    moderators = enterprise.url("/c/main/moderators")
    enterprise.add({"id": moderators, "type": "OrderedCollection", "orderedItems": [update["actor"]]})
    community_id = resolve(world, "http://enterprise.lemmy.ml/c/main")["community"]["community"]["id"]
    key = {**update["object"]["publicKey"], "publicKeyPem": enterprise.public_key}
    enterprise.add({**update["object"], "attributedTo": moderators, "publicKey": key})  # its server's copy
    assert world.apply(update) == ("applied", None)
    view = world.admin.api.get("/community", id=community_id)["community_view"]["community"]
    assert view["title"] == "The Updated Community" and view["description"] == "updated 2"


# --- private messages and accounts -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "0.19/lemmy/activities/create_or_update/create_private_message.json",
        "1.0/lemmy/activities/create_or_update/create_private_message.json",
    ],
)
def test_private_message_delete_and_restore(world_factory, name):
    world = world_factory("ds9.lemmy.ml")
    alpha = Api(world.server.base_url).register("lemmy_alpha")
    version, path = name.split("/", 1)
    assert world.apply(world.fixture(version, path)) == ("applied", None)
    [message] = alpha.api.get("/private_message/list")["private_messages"]
    assert message["private_message"]["content"] == "hello" and message["creator"]["name"] == "lemmy_beta"
    delete = world.fixture(version, "lemmy/activities/deletion/delete_private_message.json")
    assert world.apply(delete) == ("applied", None)
    assert alpha.api.get("/private_message/list")["private_messages"] == []  # deleted messages leave the list
    undo = world.fixture(version, "lemmy/activities/deletion/undo_delete_private_message.json")
    assert world.apply(undo) == ("applied", None)
    [message] = alpha.api.get("/private_message/list")["private_messages"]
    assert message["private_message"]["deleted"] is False


def test_lemmy_1_reads_a_0_19_chat_message(world_factory):
    world = world_factory("voyager.lemmy.ml")
    nutomic = Api(world.server.base_url).register("nutomic")
    create = world.fixture("1.0", "lemmy/activities/create_or_update/create_private_message_0.19.json")
    assert world.apply(create) == ("applied", None)
    [message] = nutomic.api.get("/private_message/list")["private_messages"]
    assert message["private_message"]["content"] == "hi!"


@BOTH
def test_deleted_account_takes_its_content_along(world_factory, version):
    world = world_factory("enterprise.lemmy.ml")
    world.admin.community("main")
    world.apply(world.fixture(version, "lemmy/activities/create_or_update/create_page.json"))
    [view] = posts(world)
    assert world.apply(world.fixture(version, "lemmy/activities/deletion/delete_user.json")) == ("applied", None)
    person = world.admin.api.get("/user", person_id=view["creator"]["id"])["person_view"]["person"]
    assert person["deleted"] is True
    assert post_view(world, view["post"]["id"])["post"]["removed"] is True  # removeData


def test_mastodon_delete_of_something_unknown_is_skipped(world_factory):
    world = world_factory(THIRD)
    state, reason = world.apply(world.fixture("0.19", "mastodon/activities/delete.json"))
    assert state == "skipped" and "nothing we know" in reason


def test_mastodon_reply_outside_any_community_is_not_stored(world_factory):
    world = world_factory(THIRD)
    create = world.fixture("0.19", "mastodon/activities/create_note.json")
    world.peer("mamot.fr").add(
        {
            "id": create["object"]["inReplyTo"],
            "type": "Note",
            "attributedTo": world.url("https://mamot.fr/users/retiolus"),
            "to": [PUBLIC],
            "content": "<p>which laptop?</p>",
        }
    )
    state, reason = world.apply(create)
    assert state == "failed" and "community" in reason
    assert posts(world) == []


# --- objects fetched by resolve_object -------------------------------------------------------------------------
@BOTH
def test_resolving_lemmy_objects_stores_post_comment_person_and_community(world_factory, version):
    world = world_factory(THIRD)
    for name in ("page.json", "note.json" if version == "0.19" else "comment.json", "person.json", "group.json"):
        document = world.fixture(version, f"lemmy/objects/{name}")
        peer = world.peer("enterprise.lemmy.ml")
        if "publicKey" in document:
            document["publicKey"]["publicKeyPem"] = peer.public_key
        peer.add(document)
    followers = world.fixture(version, "lemmy/collections/group_followers.json")
    world.peer("enterprise.lemmy.ml").add(
        {**followers, "id": world.url("https://enterprise.lemmy.ml/c/tenforward/followers")}
    )
    found = resolve(world, "https://enterprise.lemmy.ml/comment/38741")["comment"]
    assert found["comment"]["content"] == "first comment!" and found["post"]["name"] == "Post title"
    assert found["community"]["name"] == "tenforward" and found["community"]["title"] == "Ten Forward"
    assert found["creator"]["display_name"] == "Jean-Luc Picard"
    assert resolve(world, "https://enterprise.lemmy.ml/u/picard")["person"]["person"]["name"] == "picard"
    handle = world.admin.api.get("/resolve_object", q=f"!tenforward@{world.url('https://enterprise.lemmy.ml')[7:]}")
    assert handle["community"]["community"]["actor_id"] == world.url("https://enterprise.lemmy.ml/c/tenforward")
    assert handle["community"]["counts"]["subscribers"] == 3  # the count its server publishes


def test_a_mastodon_thread_in_our_community_becomes_a_post(world_factory):
    world = world_factory("enterprise.lemmy.ml")
    world.admin.community("tenforward")
    status = world.fixture("0.19", "mastodon/objects/page.json")
    world.peer("masto.qa.urbanwildlife.biz").add(status)
    found = resolve(world, status["id"])["post"]
    assert found["post"]["name"] == "Variable never resetting at refresh" and found["community"]["name"] == "tenforward"
    assert "reset it" in found["post"]["body"]
