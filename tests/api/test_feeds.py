"""RSS 2.0 feeds at Lemmy's paths parse as RSS with the right items; personal feeds need a valid token."""

from email.utils import parsedate_to_datetime
from xml.etree import ElementTree as ET

import httpx
import pytest


def _feed(server, path: str, **params) -> ET.Element:
    response = httpx.get(f"{server.base_url}{path}", params=params, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for tag in ("title", "link", "description"):
        assert channel.find(tag) is not None and channel.find(tag).text
    for item in channel.findall("item"):
        for tag in ("title", "link", "guid", "pubDate", "description"):
            assert item.find(tag) is not None, tag
        parsedate_to_datetime(item.find("pubDate").text)
    return channel


@pytest.fixture
def content(api):
    author = api.register()
    community = author.community(description="About <b>things</b>")["community"]
    post = author.post(
        community["id"], name="Fish & chips <3", body="**bold** text", url="https://example.org/a?b=1&c=2"
    )
    return author, community, post


def test_instance_community_and_person_feeds(server, content):
    author, community, post = content
    titles = [i.find("title").text for i in _feed(server, "/feeds/all.xml", sort="New").findall("item")]
    assert titles == ["Fish & chips <3"]
    assert len(_feed(server, "/feeds/local.xml").findall("item")) == 1
    item = _feed(server, f"/feeds/c/{community['name']}.xml").find("item")
    assert item.find("link").text == "https://example.org/a?b=1&c=2"
    assert "<strong>bold</strong>" in item.find("description").text
    assert item.find("guid").text.endswith(f"/post/{post['post']['id']}")
    assert len(_feed(server, f"/feeds/u/{author.name}.xml").findall("item")) == 1


def test_unknown_feeds_are_404(server):
    assert httpx.get(f"{server.base_url}/feeds/c/nosuchcommunity.xml").status_code == 404
    assert httpx.get(f"{server.base_url}/feeds/u/nosuchperson.xml").status_code == 404


def test_inbox_and_front_feeds_by_token(server, api, content):
    author, community, post = content
    replier = api.register()
    replier.api.post("/community/follow", {"community_id": community["id"], "follow": True})
    replier.comment(post["post"]["id"], f"hello @{author.name}")
    items = _feed(server, f"/feeds/inbox/{author.token}.xml").findall("item")
    assert {i.find("title").text.split(" ")[0] for i in items} == {"Reply", "Mention"}
    front = _feed(server, f"/feeds/front/{replier.token}.xml").findall("item")
    assert [i.find("title").text for i in front] == ["Fish & chips <3"]
    bad = httpx.get(f"{server.base_url}/feeds/inbox/not-a-token.xml")
    assert bad.status_code == 401 and bad.json()["error"] == "incorrect_login"
