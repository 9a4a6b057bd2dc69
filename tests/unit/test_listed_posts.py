"""A listing's posts are serialised once per row and flags (shapes.views.ListedPosts), within bounds."""

from datetime import UTC, datetime

import orjson

from agora.api.v3.shapes import views as shapes
from agora.queries import columns
from agora.queries.views import PostItem
from agora.responses import OPTIONS

WHEN = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _values(post_id: int, *, body: str = "a body", score: int = 1) -> tuple:
    post = {name: None for name in columns.POST}
    post.update(
        id=post_id,
        name=f"Post {post_id}",
        body=body,
        creator_id=7,
        community_id=3,
        removed=False,
        locked=False,
        published=WHEN,
        deleted=False,
        nsfw=False,
        ap_id=f"https://here.example/post/{post_id}",
        local=True,
        language_id=0,
        featured_community=False,
        featured_local=False,
        comments=0,
        score=score,
        upvotes=score,
        downvotes=0,
        newest_comment_time=WHEN,
    )
    person = {name: None for name in columns.PERSON} | {"id": 7, "name": "alice", "published": WHEN}
    community = {name: None for name in columns.COMMUNITY} | {"id": 3, "name": "c", "title": "C", "published": WHEN}
    flags = (None,) * 6  # the badges and the viewer's marks that follow the three tables
    return (*post.values(), *person.values(), *community.values(), *flags)


def _json(view, listed=None) -> dict:
    listed = listed or shapes.ListedPosts()
    return orjson.loads(orjson.dumps({"x": listed.json(view)}, option=OPTIONS))["x"]


def test_an_equal_row_is_answered_from_what_was_kept_and_a_changed_one_anew():
    listed = shapes.ListedPosts()
    first = listed.json(PostItem(_values(1)))
    assert listed.json(PostItem(_values(1))) is first
    assert _json(PostItem(_values(1, score=5)))["counts"]["score"] == 5
    assert _json(PostItem(_values(1)))["counts"]["score"] == 1
    assert _json(PostItem(_values(1), saved=True))["saved"] is True
    assert _json(PostItem(_values(1)))["saved"] is False
    plain = orjson.loads(orjson.dumps(shapes.post_view_json(PostItem(_values(1))), option=OPTIONS))
    assert _json(PostItem(_values(1))) == plain


def test_what_is_kept_stays_within_its_bytes_and_entries():
    listed = shapes.ListedPosts(max_entries=1000, max_bytes=128 * 1024)
    for post_id in range(300):
        view = PostItem(_values(post_id, body="x" * 700))
        assert _json(view, listed)["post"]["body"] == "x" * 700
        assert listed.bytes <= 128 * 1024
    assert 80 < len(listed.entries) < 128  # about 1.3 KiB each: the bytes decided
    assert listed.bytes == sum(size for _row, _json, size in listed.entries.values())
    huge = PostItem(_values(999, body="y" * 60_000))  # over 1/64 of the cap and more than is free
    kept = len(listed.entries)
    assert _json(huge, listed)["post"]["body"] == "y" * 60_000  # answered, not kept, and nothing pushed out for it
    assert all(key[0] != 999 for key in listed.entries) and len(listed.entries) == kept
