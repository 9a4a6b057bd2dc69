"""People, communities, posts and comments as ActivityPub JSON in Lemmy's shapes, for requests that ask for it."""

import json
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization


def _fixtures() -> Path | None:
    """Lemmy's own documents (../shared/fixtures next to the checkout), when this machine has them."""
    for root in Path(__file__).resolve().parents:
        candidate = root / "shared" / "fixtures" / "activitypub" / "0.19" / "lemmy" / "objects"
        if candidate.is_dir():
            return candidate
    return None


AP = {"Accept": "application/activity+json"}
LD = {"Accept": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'}


@pytest.fixture
def world(api):
    author = api.register("picard")
    author.api.put("/user/save_user_settings", {"bio": "Captain of the **Enterprise**."})
    community = author.community("tenforward", title="Ten Forward", description="Lounge")["community"]
    post = author.post(community["id"], name="Post title", body="A *post*", url="https://example.org/x")["post"]
    comment = author.comment(post["id"], "first comment!")["comment"]
    reply = api.register().comment(post["id"], "a reply", parent_id=comment["id"])["comment"]
    return author, community, post, comment, reply


def _get(server, path, headers=AP):
    return httpx.get(f"{server.base_url}{path}", headers=headers, timeout=30)


def _lemmy_keys(name):
    return set(json.loads((_fixtures() / name).read_text()))


def test_person_and_group_actors(server, world):
    response = _get(server, "/u/picard")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/activity+json")
    person = response.json()
    assert person["type"] == "Person" and person["preferredUsername"] == "picard"
    assert person["id"] == f"{server.settings.base_url}/u/picard"
    assert person["source"]["content"] == "Captain of the **Enterprise**." and "<strong>" in person["summary"]
    assert person["endpoints"]["sharedInbox"] == f"{server.settings.base_url}/inbox"
    serialization.load_pem_public_key(person["publicKey"]["publicKeyPem"].encode())
    assert person["publicKey"]["owner"] == person["id"]
    assert _get(server, "/u/picard").json()["publicKey"] == person["publicKey"]  # the key pair is made once
    group = _get(server, "/c/tenforward", LD).json()
    assert group["type"] == "Group" and group["name"] == "Ten Forward"
    assert group["attributedTo"] == f"{group['id']}/moderators" and group["followers"] == f"{group['id']}/followers"


def test_page_and_note_objects(server, world):
    _author, community, post, comment, reply = world
    page = _get(server, f"/post/{post['id']}").json()
    assert page["type"] == "Page" and page["name"] == "Post title"
    assert page["attributedTo"].endswith("/u/picard") and page["audience"] == community["actor_id"]
    assert page["attachment"] == [{"type": "Link", "href": "https://example.org/x"}]
    assert page["source"]["content"] == "A *post*" and "<em>post</em>" in page["content"]
    note = _get(server, f"/comment/{reply['id']}").json()
    assert note["type"] == "Note" and note["inReplyTo"] == comment["ap_id"]
    assert note["cc"][0] == community["actor_id"] and note["cc"][1].endswith("/u/picard")
    top = _get(server, f"/comment/{comment['id']}").json()
    assert top["inReplyTo"] == post["ap_id"]


def test_deleted_things_are_tombstones_and_browsers_get_no_json(server, world):
    author, _community, post, _comment, _ = world
    author.api.post("/post/delete", {"post_id": post["id"], "deleted": True})
    gone = _get(server, f"/post/{post['id']}")
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"
    assert _get(server, "/u/nobody_here").status_code == 404
    assert _get(server, "/post/999999").status_code == 404
    browser = _get(server, "/u/picard", {"Accept": "text/html"})
    assert "publicKey" not in browser.text


@pytest.mark.skipif(_fixtures() is None, reason="Lemmy's fixture documents are not on this machine")
def test_our_documents_carry_the_fields_lemmy_sends(server, world):
    _author, _community, post, _comment, reply = world
    ours = {
        "person.json": _get(server, "/u/picard").json(),
        "group.json": _get(server, "/c/tenforward").json(),
        "page.json": _get(server, f"/post/{post['id']}").json(),
        "note.json": _get(server, f"/comment/{reply['id']}").json(),
    }
    optional = {"icon", "image", "matrixUserId", "name", "updated", "language", "tag"}  # absent when empty here
    for name, document in ours.items():
        assert _lemmy_keys(name) - set(document) - optional == set(), name


def test_instance_actor_and_community_collections(server, world):
    _author, _community, post, _comment, _reply = world
    instance = _get(server, "/").json()
    assert instance["type"] == "Application" and instance["id"] == f"{server.settings.base_url}/"
    serialization.load_pem_public_key(instance["publicKey"]["publicKeyPem"].encode())
    outbox = _get(server, "/c/tenforward/outbox").json()
    [announce] = outbox["orderedItems"]
    assert announce["type"] == "Announce" and announce["object"]["type"] == "Create"
    assert announce["object"]["object"]["id"] == post["ap_id"]
    assert _get(server, "/c/tenforward/moderators").json()["orderedItems"] == [f"{server.settings.base_url}/u/picard"]
    assert _get(server, "/c/tenforward/followers").json()["totalItems"] == 1
    assert _get(server, "/c/tenforward/featured").json()["orderedItems"] == []
    assert _get(server, "/u/picard/outbox").json()["totalItems"] == 0
    assert "orderedItems" not in _get(server, "/c/tenforward/outbox", {"Accept": "text/html"}).text
