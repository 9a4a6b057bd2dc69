"""A 390×844 phone, JavaScript on and off: the header stays within two rows, the main controls are touch targets
of at least 24×24 CSS pixels (WCAG 2.2, 2.5.8), and a community's page starts with a folded summary of its sidebar."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import log_in, new_page

pytestmark = pytest.mark.browser
TARGET = 24  # CSS pixels, WCAG 2.2 target size (minimum)


@pytest.fixture
def thread(server, api):
    """A moderator's community with rules, a member's post with a reply thread, and the member subscribed."""
    mod, member = api.register(), api.register()
    rules = "Rule 1: be kind. A few warnings, then a ban."
    community = mod.community(title="Comradeship", description=rules)["community"]
    member.api.post("/community/follow", {"community_id": community["id"], "follow": False})
    for i in range(3):
        member.post(community["id"], f"Post number {i}")
    post = member.post(community["id"], "Healing from trauma")["post"]
    first = mod.comment(post["id"], "Writing things down helped")["comment"]
    member.comment(post["id"], "Same here", parent_id=first["id"])
    return {"mod": mod, "member": member, "community": community, "post": post, "rules": rules}


def phone(browser, server, javascript: bool) -> Page:
    return new_page(browser, server.base_url, javascript=javascript, width=390, height=844)


def too_small(page: Page, selector: str) -> list[str]:
    """Every visible element matching `selector` smaller than the target, as 'text w×h'."""
    return page.evaluate(
        """([selector, target]) => [...document.querySelectorAll(selector)]
            .filter((el) => el.getClientRects().length > 0)
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => box.width < target || box.height < target)
            .map(([el, box]) => `${(el.innerText || el.getAttribute("aria-label") || el.tagName).trim()} `
                + `${box.width.toFixed(1)}×${box.height.toFixed(1)}`)""",
        [selector, TARGET],
    )


def test_the_header_keeps_to_two_rows_of_links(server, browser, thread, javascript):
    page = phone(browser, server, javascript)
    log_in(page, thread["mod"].name)
    page.goto(f"/c/{thread['community']['name']}")
    rows = page.evaluate(
        """() => new Set([...document.querySelectorAll("header.top a, header.top button")]
            .map((el) => Math.round(el.getBoundingClientRect().top))).size"""
    )
    assert rows <= 2
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert too_small(page, "header.top a, header.top button") == []
    page.context.close()


def test_the_main_controls_are_big_enough_to_touch(server, browser, thread, javascript):
    page = phone(browser, server, javascript)
    log_in(page, thread["member"].name)
    page.goto(f"/post/{thread['post']['id']}")
    expect(page.locator("li.comment")).to_have_count(2)
    controls = ", ".join(
        (
            "form.vote button",  # votes, on the post and on each comment
            "ul.actions a",  # reply, permalink, edit …
            "ul.actions button",  # save, delete …
            "ul.actions summary",  # report, and the moderators' reasoned actions
            "li.comment > details > summary",  # collapse
            "form.sort select, form.sort button",  # the sort menu
        )
    )
    assert page.locator("li.comment form.vote button").count() == 4
    assert too_small(page, controls) == []
    page.goto(f"/c/{thread['community']['name']}")
    assert too_small(page, f"{controls}, aside.sidebar summary, aside.sidebar .button") == []
    page.context.close()


def test_a_community_page_starts_with_a_folded_summary_of_its_sidebar(server, browser, thread, javascript):
    page = phone(browser, server, javascript)
    log_in(page, thread["member"].name)
    page.goto(f"/c/{thread['community']['name']}")
    sidebar = page.locator("aside.sidebar")
    summary = sidebar.locator("summary", has_text="About, rules and moderators")
    first_post = page.locator("article.post-row").first
    assert sidebar.bounding_box()["y"] + sidebar.bounding_box()["height"] <= first_post.bounding_box()["y"]
    assert summary.bounding_box()["y"] < 844  # on the first screen
    expect(sidebar.get_by_role("button", name="Subscribe")).to_be_in_viewport()
    expect(sidebar.get_by_text(thread["rules"])).to_be_hidden()
    summary.click()
    expect(sidebar.get_by_text(thread["rules"])).to_be_visible()
    expect(sidebar.locator(".readers")).to_be_visible()
    expect(sidebar.locator(".moderators")).to_contain_text(thread["mod"].name)
    page.context.close()
