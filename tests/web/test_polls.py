"""Polls in the browser, with JavaScript on and off: made from the post form, voted on with a plain form, shown with
bars and counts on the post page and in the community's listing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def test_a_member_makes_a_poll_another_votes_and_the_listing_shows_the_counts(server, api, pages, javascript):
    author = api.register()
    community = author.community()["community"]
    page = pages(javascript=javascript)
    log_in(page, author.name)
    page.goto(f"/create_post?community_id={community['id']}")
    page.get_by_label("Title").fill("Which colour for the shed?")
    page.get_by_label("Choices, one a line").fill("Red")  # one choice too few: refused, the form kept
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("alert")).to_contain_text("2 to 20 choices")
    expect(page.get_by_label("Choices, one a line")).to_have_value("Red")
    page.get_by_label("Choices, one a line").fill("Red\nGreen\n\nBlue\n")
    page.get_by_label("Voting closes after").select_option("1d")
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(r"/post/\d+$"))
    post_url = page.url
    poll = page.locator("section.poll")
    expect(poll.get_by_role("radio")).to_have_count(3)
    expect(poll.locator(".poll-meta")).to_contain_text("0 voters · ends in a day")

    voter = pages(javascript=javascript)
    log_in(voter, api.register().name)
    voter.goto(post_url)
    voter.locator("section.poll").get_by_role("radio", name="Green").check()
    voter.locator("section.poll").get_by_role("button", name="Vote").click()
    expect(voter).to_have_url(post_url)
    poll = voter.locator("section.poll")
    expect(poll.get_by_role("radio")).to_have_count(0)  # a single-choice poll takes one vote a person
    green = poll.locator("li", has_text="Green")
    expect(green).to_contain_text("your choice")
    expect(green.locator(".votes")).to_have_text("1 vote (100%)")
    expect(green.locator("progress")).to_have_attribute("value", "1")
    expect(poll.locator(".poll-meta")).to_contain_text("1 voter")

    voter.goto(f"/c/{community['name']}")
    listed = voter.locator("article.post-row", has_text="Which colour for the shed?").locator("section.poll")
    expect(listed.locator("li", has_text="Red").locator(".votes")).to_have_text("0 votes (0%)")
    expect(listed.locator("li", has_text="Green").locator(".votes")).to_have_text("1 vote (100%)")
    page.goto(post_url)  # the author has not voted: the choices are still open to them
    expect(page.locator("section.poll").get_by_role("radio")).to_have_count(3)
