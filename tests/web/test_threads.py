"""A thread read in the browser as one flat list: a comment offers to load more replies only when some of its
replies are not on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_flat_list_offers_no_replies_it_already_shows(pages, api, javascript):
    member = api.register()
    post = member.post(member.community()["community"]["id"], "A short thread")["post"]
    first = member.comment(post["id"], "first")["comment"]
    reply = member.comment(post["id"], "a reply", parent_id=first["id"])["comment"]
    member.comment(post["id"], "a reply to the reply", parent_id=reply["id"])
    member.comment(post["id"], "second")
    page = pages(javascript=javascript)
    page.goto(f"/post/{post['id']}?view=flat")
    expect(page.locator("li.comment")).to_have_count(4)
    expect(page.get_by_role("link", name="show as a tree")).to_be_visible()
    expect(page.get_by_text("load more replies")).to_have_count(0)
