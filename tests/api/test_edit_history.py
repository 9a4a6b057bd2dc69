"""Edit history (an Agora extension on both faces): each edit keeps the version it replaced, for whoever may read
the item; purges take it away."""

from sqlalchemy import func, select

from agora.app import create_app
from agora.config import Settings
from agora.db.models import EditVersion
from tests.support.admin import make_admin
from tests.support.client import Api


def _versions_left(server) -> int:
    async def run():
        async with server.state.db.read() as session:
            return (await session.execute(select(func.count()).select_from(EditVersion))).scalar_one()

    return server.run(run)


def test_two_edits_keep_two_versions_newest_first(api):
    author = api.register()
    community = author.community()["community"]["id"]
    post = author.post(community, name="First title", url="https://example.com/one", body="first body")["post"]
    author.api.put("/post", {"post_id": post["id"], "name": "Second title", "body": "second body"})
    author.api.put("/post", {"post_id": post["id"], "url": "https://example.com/two"})
    versions = api.get("/post/history", post_id=post["id"])["versions"]
    assert [(v["name"], v["body"], v["url"]) for v in versions] == [
        ("Second title", "second body", "https://example.com/one"),
        ("First title", "first body", "https://example.com/one"),
    ]
    assert {v["edited_by"]["id"] for v in versions} == {author.person_id}
    assert versions[1]["published"] == post["published"]
    assert versions[0]["published"] == versions[1]["replaced_at"]
    assert versions[0]["replaced_at"] >= versions[0]["published"]


def test_an_unchanged_edit_records_nothing(api):
    author = api.register()
    post = author.post(author.community()["community"]["id"], body="same")["post"]["id"]
    author.api.put("/post", {"post_id": post, "body": "same"})
    comment = author.comment(post, "same words")["comment"]["id"]
    author.api.put("/comment", {"comment_id": comment, "content": "same words"})
    assert api.get("/post/history", post_id=post)["versions"] == []
    assert api.get("/comment/history", comment_id=comment)["versions"] == []


def test_comment_and_message_history_on_both_faces(server, api):
    author, friend, stranger = api.register(), api.register(), api.register()
    post = author.post(author.community()["community"]["id"])["post"]["id"]
    comment = author.comment(post, "first words")["comment"]["id"]
    author.api.put("/comment", {"comment_id": comment, "content": "second words"})
    v4 = Api(server.base_url, prefix="/api/v4")
    for face in (api, v4):
        assert [v["body"] for v in face.get("/comment/history", comment_id=comment)["versions"]] == ["first words"]
    sent = author.api.post("/private_message", {"recipient_id": friend.person_id, "content": "hi"})
    message = sent["private_message_view"]["private_message"]["id"]
    author.api.put("/private_message", {"private_message_id": message, "content": "hello"})
    for reader in (author, friend):
        found = reader.api.get("/private_message/history", private_message_id=message)["versions"]
        assert [(v["body"], v["edited_by"]["name"]) for v in found] == [("hi", author.name)]
    assert stranger.api.error("GET", "/private_message/history", private_message_id=message)[1] == (
        "couldnt_find_private_message"
    )
    assert v4.as_(friend.token).get("/private_message/history", private_message_id=message)["versions"]


def test_a_moderator_edit_records_the_moderator(server, api):
    mod, author = api.register(), api.register()
    community = mod.community()["community"]["id"]
    post = author.post(community)["post"]
    v4 = Api(server.base_url, prefix="/api/v4").as_(mod.token)
    v4.put("/post/mod_edit", {"post_id": post["id"], "nsfw": True})
    versions = v4.get("/post/history", post_id=post["id"])["versions"]
    assert len(versions) == 1
    assert versions[0]["nsfw"] is False and versions[0]["name"] == post["name"]
    assert versions[0]["edited_by"]["name"] == mod.name


def test_a_removed_post_history_is_for_moderators_admins_and_its_author(server, api):
    admin = make_admin(server)
    mod, author, bystander = api.register(), api.register(), api.register()
    community = mod.community()["community"]["id"]
    post = author.post(community, body="before")["post"]["id"]
    author.api.put("/post", {"post_id": post, "body": "after"})
    mod.api.post("/post/remove", {"post_id": post, "removed": True, "reason": "rule 1"})
    assert bystander.api.error("GET", "/post/history", post_id=post) == (400, "couldnt_find_post")
    assert api.error("GET", "/post/history", post_id=post) == (400, "couldnt_find_post")
    for reader in (mod, admin, author):
        assert [v["body"] for v in reader.api.get("/post/history", post_id=post)["versions"]] == ["before"]


def test_a_removed_comment_history_is_for_its_moderators(server, api):
    mod, author, bystander = api.register(), api.register(), api.register()
    post = author.post(mod.community()["community"]["id"])["post"]["id"]
    comment = author.comment(post, "rude words")["comment"]["id"]
    author.api.put("/comment", {"comment_id": comment, "content": "ruder words"})
    mod.api.post("/comment/remove", {"comment_id": comment, "removed": True, "reason": "rule 2"})
    assert bystander.api.error("GET", "/comment/history", comment_id=comment) == (400, "couldnt_find_comment")
    assert [v["body"] for v in mod.api.get("/comment/history", comment_id=comment)["versions"]] == ["rude words"]


def test_unknown_ids_are_lemmy_errors(api):
    member = api.register()
    assert api.error("GET", "/post/history", post_id=999_999) == (400, "couldnt_find_post")
    assert api.error("GET", "/comment/history", comment_id=999_999) == (400, "couldnt_find_comment")
    assert member.api.error("GET", "/private_message/history", private_message_id=999_999)[1] == (
        "couldnt_find_private_message"
    )


def test_purges_take_the_history_with_them(server, api):
    admin = make_admin(server)
    author = api.register()
    community = author.community()["community"]["id"]
    post = author.post(community, body="one")["post"]["id"]
    author.api.put("/post", {"post_id": post, "body": "two"})
    comment = author.comment(post, "one")["comment"]["id"]
    author.api.put("/comment", {"comment_id": comment, "content": "two"})
    assert _versions_left(server) == 2
    admin.api.post("/admin/purge/comment", {"comment_id": comment})
    assert _versions_left(server) == 1
    admin.api.post("/admin/purge/post", {"post_id": post})
    assert _versions_left(server) == 0
    other = api.register()
    post = other.post(community, body="one")["post"]["id"]
    other.api.put("/post", {"post_id": post, "body": "two"})
    assert _versions_left(server) == 1
    admin.api.post("/admin/purge/person", {"person_id": other.person_id})
    assert _versions_left(server) == 0


def test_history_is_in_the_openapi_document():
    document = create_app(Settings(database_url="sqlite+aiosqlite:///unused.db")).openapi()
    for face in ("v3", "v4"):
        answer = document["paths"][f"/api/{face}/post/history"]["get"]["responses"]["200"]
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/EditHistoryResponse")
    version = document["components"]["schemas"]["EditVersion"]["properties"]
    assert {"name", "body", "url", "edited_by", "published", "replaced_at"} <= set(version)
