"""A refused form comes back, in a real browser with JavaScript on and off, with what was typed still in its fields,
the error beside the field it concerns and the header of the member who sent it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import log_in
from tests.support.client import PASSWORD, unique_name
from tests.support.web import make_admin

pytestmark = pytest.mark.browser
SLUR = "The text contains words this site does not allow."


@pytest.fixture
def site(server, api):
    """An admin whose slur filter refuses "turnip", a member, and a post with a comment by the admin."""
    admin = make_admin(server)
    admin.api.put("/site", {"slur_filter_regex": "turnip"})
    server.state.site_cache.invalidate()
    member = api.register()
    community = admin.community()["community"]
    post = admin.post(community["id"], "Vegetables")["post"]
    comment = admin.comment(post["id"], "Carrots are best")["comment"]
    mine = member.comment(post["id"], "My first thought")["comment"]
    return {"admin": admin, "member": member, "community": community, "post": post, "comment": comment, "mine": mine}


def refused_beside(page: Page, field: str, message: str, member: str) -> None:
    """The error is shown right after the field, which points to it, under the member's own header."""
    error = page.locator(f"#{field}-error")
    expect(error).to_contain_text(message)
    expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    assert page.locator(f"#{field} + #{field}-error").count() == 1
    expect(page.get_by_role("link", name=member, exact=True)).to_be_visible()


def test_a_refused_post_keeps_its_fields_and_says_which_is_wrong(pages, site, javascript):
    page = pages(javascript=javascript)
    name = site["member"].name
    log_in(page, name)
    page.goto(f"/create_post?community_id={site['community']['id']}")
    page.get_by_label("Title").fill("ab")
    page.get_by_label("Body").fill("A body worth keeping")
    page.get_by_role("button", name="Create").click()
    refused_beside(page, "name", "A title is 3 to 200 characters", name)
    expect(page.get_by_label("Title")).to_have_value("ab")
    expect(page.get_by_label("Body")).to_have_value("A body worth keeping")
    expect(page.get_by_label("Community")).to_have_value(site["community"]["name"])

    page.get_by_label("Title").fill("A good title")
    page.get_by_label("Link").fill("ftp://files.example/x")
    page.evaluate("document.getElementById('url').type = 'text'")  # past the browser's own check, to the server's
    page.get_by_role("button", name="Create").click()
    refused_beside(page, "url", "Links must start with http:// or https://.", name)
    expect(page.get_by_label("Title")).to_have_value("A good title")


def test_a_refused_comment_reply_and_edit_keep_the_text(pages, site, javascript):
    page = pages(javascript=javascript)
    name = site["member"].name
    log_in(page, name)
    post_url = f"/post/{site['post']['id']}"
    page.goto(post_url)
    page.get_by_label("Comment", exact=True).fill("I grow turnip every year")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(SLUR)
    expect(page.get_by_label("Comment", exact=True)).to_have_value("I grow turnip every year")
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    if not javascript:
        refused_beside(page, "content-top", SLUR, name)

    page.goto(post_url)
    item = page.locator(f"#c{site['comment']['id']}")
    item.get_by_role("link", name="reply").click()
    page.get_by_label("Reply").fill("turnip soup")
    page.get_by_role("button", name="Reply").click()
    expect(page.get_by_role("alert")).to_contain_text(SLUR)
    expect(page.get_by_label("Reply")).to_have_value("turnip soup")
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()

    page.goto(f"/comment/{site['mine']['id']}/edit")
    page.get_by_label("Comment").fill("On second thought, turnip")
    page.get_by_role("button", name="Save").click()
    refused_beside(page, "content", SLUR, name)
    expect(page.get_by_label("Comment")).to_have_value("On second thought, turnip")


def test_a_refused_community_and_message_keep_their_fields(pages, site, javascript):
    page = pages(javascript=javascript)
    name = site["member"].name
    log_in(page, name)
    page.goto("/create_community")
    page.get_by_label("Name").fill(site["community"]["name"])
    page.get_by_label("Title").fill("Twin of another")
    page.get_by_label("Sidebar: description and rules").fill("Rules kept")
    page.get_by_role("button", name="Create").click()
    refused_beside(page, "name", "A community with that name already exists.", name)
    expect(page.get_by_label("Title")).to_have_value("Twin of another")
    expect(page.get_by_label("Sidebar: description and rules")).to_have_value("Rules kept")

    page.goto(f"/create_private_message/{site['admin'].person_id}")
    page.get_by_label("Message").fill("Have you tried turnip?")
    page.get_by_role("button", name="Send").click()
    refused_beside(page, "content", SLUR, name)
    expect(page.get_by_label("Message")).to_have_value("Have you tried turnip?")


def test_a_refused_sign_up_keeps_the_name_and_email_but_not_the_password(pages, site, javascript):
    page = pages(javascript=javascript)
    page.goto("/signup")
    page.get_by_label("User name").fill(site["member"].name)
    page.get_by_label("Email").fill("keep@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#username-error")).to_have_text("That user name is taken.")
    expect(page.get_by_label("User name")).to_have_value(site["member"].name)
    expect(page.get_by_label("Email")).to_have_value("keep@example.org")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")

    page.get_by_label("User name").fill(unique_name("fresh"))
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#password_verify-error")).to_have_text("The two passwords do not match.")


def test_a_rate_limited_post_keeps_its_text(server_factory, browser):
    from tests.support.browser import new_page

    server = server_factory(rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_post": 1, "rate_limit_post_per_second": 3600})
    server.state.site_cache.invalidate()
    member = server.api().register()
    community = admin.community()["community"]
    page = new_page(browser, server.base_url, javascript=False)
    try:
        log_in(page, member.name)
        for title in ("First of the hour", "Second, too soon"):
            page.goto(f"/create_post?community_id={community['id']}")
            page.get_by_label("Title").fill(title)
            page.get_by_label("Body").fill(f"{title}: body")
            page.get_by_role("button", name="Create").click()
        expect(page.locator("#form-error")).to_contain_text("try again in")
        expect(page.get_by_label("Title")).to_have_value("Second, too soon")
        expect(page.get_by_label("Body")).to_have_value("Second, too soon: body")
    finally:
        page.context.close()
