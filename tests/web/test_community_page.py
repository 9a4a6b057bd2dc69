"""The community page says what the seed page says, in its words: readers, users here now, founded, moderators,
rules from markdown, and post rows with rank, score, "submitted … ago* (last edited …) by name@host to
c/community@host", the link's domain, comment counts, cross-posts and "‹ prev next ›"."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from agora.jobs import activity
from tests.support.clock import age_post
from tests.support.web import Visitor, text_of

EXACT = r"\w+day, \w+ \d{1,2}, \d{4} at \d\d:\d\d UTC"


@pytest.fixture
def freechat(server, api):
    mod, member, reader = api.register(), api.register(), api.register()
    description = (
        "Talk about whatever, respecting the rules.\n\nA community for comrades to chat.\n\n1. Be kind\n2. **No** spam"
    )
    community = mod.community("freechat", title="Comradeship // Freechat", description=description)["community"]
    for person in (member, reader):
        person.api.post("/community/follow", {"community_id": community["id"], "follow": True})
    for i in range(22):
        mod.post(community["id"], f"Filler {i}")
    linked = member.post(community["id"], "Thank you!", url="https://www.ko-fi.example/goal")["post"]
    edited = member.post(community["id"], "Recurring dreams", body="first")["post"]
    member.api.put("/post", {"post_id": edited["id"], "body": "edited"})
    crossed = member.post(
        community["id"], "Some money on my card", body="cross-posted from: https://hexbear.net/post/4747084\n\nText"
    )["post"]
    for i in range(3):
        reader.comment(linked["id"], f"comment {i}")
    reader.vote_post(linked["id"], 1)
    age_post(server, edited["id"], timedelta(days=61))
    server.run(lambda: activity.refresh_active_users(server.state))
    return {
        "community": community,
        "mod": mod,
        "member": member,
        "linked": linked,
        "edited": edited,
        "crossed": crossed,
    }


def test_sidebar_has_the_seed_wording(server, freechat):
    html = Visitor(server.base_url).get("/c/freechat").text
    page = text_of(html)
    host = server.settings.hostname
    assert "<h1>Comradeship // Freechat</h1>" in html
    assert "3 readers" in page
    assert "3 users here now" in page  # the moderator, the member and the reader wrote in the last minutes
    assert "3 active today" in page
    assert re.search(rf'founded <time datetime="[^"]+" title="{EXACT}">a few seconds ago</time>', html)
    assert re.search(
        rf"MODERATORS\s*</h3>\s*<ul[^>]*>\s*<li><a [^>]*>{freechat['mod'].name}@{re.escape(host)}</a>", html
    )
    assert "<ol>\n<li>Be kind</li>\n<li><strong>No</strong> spam</li>\n</ol>" in html  # rules from markdown
    assert "Talk about whatever, respecting the rules." in page
    assert "Log in to subscribe" in page


def test_post_rows_have_the_seed_wording(server, freechat):
    host = re.escape(server.settings.hostname)
    member = freechat["member"].name
    page = text_of(Visitor(server.base_url).get("/c/freechat?sort=New").text)
    # Newest first: the cross-post, the edited post (backdated two months), the link post.
    assert re.search(r"\b1 ▲ 1 ▼ Some money on my card submitted a few seconds ago by", page)
    assert "cross-posted from: https://hexbear.net/post/4747084" in page
    assert re.search(
        rf"2 ▲ 2 ▼ Thank you! \(ko-fi\.example\) submitted a few seconds ago by {member}@{host} "
        rf"to c/freechat@{host} 3 comments",
        page,
    )
    old = Visitor(server.base_url).get("/c/freechat?sort=Old").text
    assert re.search(
        rf"Recurring dreams submitted 2 months ago\* \(last edited a few seconds ago\) by {member}@{host} "
        rf"to c/freechat@{host} text edited 0 comments",  # "text": the expandable body
        text_of(old),
    )
    assert "view more: next ›" in page and "‹ prev" not in page
    following = unescape(re.search(r'href="\?([^"]+)" rel="next"', old).group(1))
    second = Visitor(server.base_url).get(f"/c/freechat?{following}")
    assert "view more: ‹ prev" in text_of(second.text) and "next ›" not in text_of(second.text)


def test_members_see_save_and_report_and_moderators_remove_lock_feature(server, freechat):
    post_id = freechat["linked"]["id"]
    member = Visitor(server.base_url).log_in(freechat["member"].name)
    row = re.search(
        rf'<article class="post-row[^"]*" id="p{post_id}".*?</article>', member.get("/c/freechat").text, re.S
    )
    actions = text_of(row.group(0))
    assert "save" in actions and "report" in actions and "lock" not in actions
    moderator = Visitor(server.base_url).log_in(freechat["mod"].name)
    row = re.search(
        rf'<article class="post-row[^"]*" id="p{post_id}".*?</article>', moderator.get("/c/freechat").text, re.S
    )
    actions = text_of(row.group(0))
    for word in ("save", "report", "remove", "lock", "feature"):
        assert word in actions, word
    assert ">Unsubscribe</button>" in member.get("/c/freechat").text


def test_here_now_counts_the_last_minutes_not_the_day(server, api):
    writer, earlier = api.register(), api.register()
    community = writer.community("quiet")["community"]["id"]
    old = earlier.post(community, "Written this morning")["post"]
    age_post(server, old["id"], timedelta(hours=3))
    page = text_of(Visitor(server.base_url).get("/c/quiet").text)
    assert "0 users here now" in page
    reply = writer.comment(old["id"], "just now")["comment"]
    page = text_of(Visitor(server.base_url).get("/c/quiet").text)
    assert "1 user here now" in page  # kept current: no job to wait for
    api.register().vote_post(old["id"], 1)
    api.register().vote_comment(reply["id"], -1)
    page = text_of(Visitor(server.base_url).get("/c/quiet").text)
    assert "3 users here now" in page  # readers who only vote are here too
