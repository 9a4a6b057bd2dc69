"""Every shared fixture document parses: objects into what we store, activities into a trusted envelope."""

from __future__ import annotations

import json

import pytest

from agora.errors import AgoraError
from agora.federation import activities
from agora.federation.objects import group, instance, message, note, page, person, reading
from tests.federation.peer import fixtures_root

ROOT = fixtures_root()
pytestmark = pytest.mark.skipif(ROOT is None, reason="../shared/fixtures/activitypub is not on this machine")


def load(path: str) -> dict:
    return json.loads((ROOT / path).read_text())


@pytest.mark.parametrize("version", ["0.19", "1.0"])
def test_lemmy_person_and_group(version):
    parsed = person.parse(load(f"{version}/lemmy/objects/person.json"))
    assert parsed.name == "picard" and parsed.display_name == "Jean-Luc Picard"
    assert parsed.bio == "Captain of the starship **Enterprise**." and parsed.matrix_user_id == "@picard:matrix.org"
    assert parsed.shared_inbox == "https://enterprise.lemmy.ml/inbox" and "PUBLIC KEY" in parsed.public_key
    assert parsed.avatar.endswith("ed9ej7.jpg") and parsed.banner.endswith("XenaYI5hTn.png")
    community = group.parse(load(f"{version}/lemmy/objects/group.json"))
    assert (community.name, community.title) == ("tenforward", "Ten Forward")
    assert community.moderators == "https://enterprise.lemmy.ml/c/tenforward/moderators"
    assert community.languages == ["fr", "de"] and community.nsfw is False


@pytest.mark.parametrize("version", ["0.19", "1.0"])
def test_lemmy_page_note_message_instance(version):
    post = page.parse(load(f"{version}/lemmy/objects/page.json"))
    assert post.name == "Post title" and post.body == "This is a post in the /c/tenforward community"
    assert post.community_candidates[0] == "https://enterprise.lemmy.ml/c/tenforward" and post.language == "fr"
    assert post.url == "https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png"
    comment = note.parse(load(f"{version}/lemmy/objects/{'note' if version == '0.19' else 'comment'}.json"))
    assert comment.content == "first comment!" and comment.in_reply_to.endswith("/post/55143")
    assert comment.mentions[0] == "https://enterprise.lemmy.ml/u/picard"
    pm = message.parse(
        load(f"{version}/lemmy/objects/{'chat_message' if version == '0.19' else 'private_message'}.json")
    )
    assert pm.content == "Hello hello, testing" and pm.recipients == ["https://queer.hacktivis.me/users/lanodan"]
    actor = instance.parse(load(f"{version}/lemmy/objects/instance.json"))
    assert actor.ap_id == "https://enterprise.lemmy.ml/" and actor.inbox == "https://enterprise.lemmy.ml/inbox"


def test_lemmy_1_image_and_link_post():
    post = page.parse(load("1.0/lemmy/objects/page_image_and_link.json"))
    assert post.url == "https://example.com/some-article"
    assert post.thumbnail == "https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png"


def test_mastodon_documents():
    who = person.parse(load("0.19/mastodon/objects/person.json"))
    assert who.name == "mastodon" and who.inbox.endswith("/users/mastodon/inbox")
    thread = page.parse(load("0.19/mastodon/objects/page.json"))  # a Note that opens a thread in a community
    assert thread.name == "Variable never resetting at refresh"
    assert "https://enterprise.lemmy.ml/c/tenforward" in thread.community_candidates
    assert thread.body.startswith("[@tenforward]") and "reset it" in thread.body
    for name in ("note_1", "note_2"):
        reply = note.parse(load(f"0.19/mastodon/objects/{name}.json"))
        assert reply.content and reply.in_reply_to.startswith("https://")
    featured = load("0.19/mastodon/collections/featured.json")
    assert page.parse(featured["orderedItems"][0]).name.startswith("Inaugural Post for Lemmy")


def test_every_activity_reads_as_a_trusted_envelope():
    paths = sorted(p for p in ROOT.rglob("activities/**/*.json"))
    assert len(paths) > 50
    for path in paths:
        document = json.loads(path.read_text())
        if path.name == "undo_lock_page.json" and "id" not in document:
            continue
        parsed = activities.parse(document)
        assert reading.same_host(parsed.id, parsed.actor), path


def test_collections_and_tombstones():
    for version in ("0.19", "1.0"):
        outbox = load(f"{version}/lemmy/collections/group_outbox.json")
        names = [page.parse(item["object"]["object"]).name for item in outbox["orderedItems"]]
        assert names == ["another outbox test", "outbox test"]
        featured = load(f"{version}/lemmy/collections/group_featured_posts.json")
        assert [page.parse(p).name for p in featured["orderedItems"]] == ["test 2", "test 1"]
        assert load(f"{version}/lemmy/collections/group_moderators.json")["orderedItems"] == [
            "https://enterprise.lemmy.ml/u/picard"
        ]
        with pytest.raises(AgoraError):
            page.parse(load(f"{version}/lemmy/objects/tombstone.json"))


def test_hostile_shapes_are_refused_with_a_reason():
    good = load("0.19/lemmy/activities/following/follow.json")
    for broken in (
        {**good, "id": "https://elsewhere.example/activities/1"},
        {**good, "actor": {"nope": 1}},
        {**good, "object": None},
        {**good, "type": ["", 3]},
        {**good, "id": "javascript:alert(1)"},
        [good],
    ):
        with pytest.raises(AgoraError) as refused:
            activities.parse(broken)
        assert refused.value.status == 400 and refused.value.message
