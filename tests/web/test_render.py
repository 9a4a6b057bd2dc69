"""The web layer's pure pieces: time wording, names with hosts, custom emoji, safe redirects, comment trees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agora.queries import columns
from agora.queries.views import CommentItem
from agora.text.markdown import Emoji
from agora.web import render, tree
from agora.web.context import Chrome, PageContext
from agora.web.forms import local_path

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (timedelta(seconds=5), "a few seconds ago"),
        (timedelta(seconds=70), "a minute ago"),
        (timedelta(minutes=12), "12 minutes ago"),
        (timedelta(minutes=70), "an hour ago"),
        (timedelta(hours=5), "5 hours ago"),
        (timedelta(hours=30), "a day ago"),
        (timedelta(days=4), "4 days ago"),
        (timedelta(days=31), "a month ago"),
        (timedelta(days=47), "2 months ago"),
        (timedelta(days=61), "2 months ago"),
        (timedelta(days=400), "a year ago"),
        (timedelta(days=4 * 365 + 30), "4 years ago"),
        (-timedelta(days=3), "in 3 days"),
    ],
)
def test_relative_time_reads_like_the_seed(age, words):
    assert render.ago(NOW - age, NOW) == words


def test_time_elements_carry_the_exact_date_on_hover():
    html = str(render.when(datetime(2021, 7, 4, 9, 5, tzinfo=UTC)))
    assert html.startswith('<time datetime="2021-07-04T09:05:00+00:00" title="Sunday, July 4, 2021 at 09:05 UTC">')


def test_hosts_and_domains():
    assert render.host("https://lemmygrad.ml/u/Makan") == "lemmygrad.ml"
    assert render.host("http://127.0.0.1:8536/c/x") == "127.0.0.1:8536"
    assert render.domain("https://www.ko-fi.com/ahriboy/goal") == "ko-fi.com"
    assert render.is_image("https://example.org/cat.JPG") and not render.is_image("https://example.org/cat")
    assert render.is_image("https://example.org/cat", "image/webp")


def test_custom_emoji_render_as_images_with_their_alt_text():
    chrome = Chrome(name="Agora", emojis={"party": Emoji("https://x.example/party.gif", "a party popper")})
    ctx = PageContext(request=None, state=None, viewer=None, site={}, chrome=chrome)
    html = str(ctx.md("time to :party: now, :unknown: stays"))
    assert '<img src="https://x.example/party.gif" alt="a party popper" title="a party popper" class="emoji"' in html
    assert 'loading="lazy"' in html and ":unknown: stays" in html


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/post/3#c4", "/post/3#c4"),
        ("/c/x?sort=New", "/c/x?sort=New"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_redirects_after_forms_stay_on_this_site(target, expected):
    assert local_path(target) == expected


def _comment(id_: int, path: str, child_count: int = 0, deleted: bool = False) -> CommentItem:
    row = {"id": id_, "path": path, "child_count": child_count, "deleted": deleted, "removed": False}
    values = tuple(row.get(name) for name in columns.COMMENT) + (None,) * len(columns.PERSON)
    return CommentItem(values, post={}, community={})


def test_trees_nest_by_path_and_count_the_replies_not_shown():
    views = [
        _comment(1, "0.1", child_count=4),
        _comment(5, "0.5"),
        _comment(2, "0.1.2", child_count=2),
        _comment(3, "0.1.3", deleted=True),
        _comment(4, "0.1.2.4", child_count=0),
    ]
    roots = tree.build(views)
    assert [r.id for r in roots] == [1, 5]
    first = roots[0]
    assert [c.id for c in first.children] == [2, 3] and [c.id for c in first.children[0].children] == [4]
    # Comment 1 has 4 visible replies: 2 and 4 are shown (3 is deleted, not counted), so 2 are still to load.
    assert first.more == 2 and first.children[0].more == 1 and roots[1].more == 0
    subtree = tree.build(views[2:], root_id=2)
    assert [r.id for r in subtree] == [2] and subtree[0].children[0].id == 4
