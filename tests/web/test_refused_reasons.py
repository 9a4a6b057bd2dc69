"""Reports, warnings and removals carry a typed reason: refused, they come back on a small page with the reason
still typed, the error beside it and the member's own header; sent, the page they return to says what happened."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.support.browser import log_in

pytestmark = pytest.mark.browser
TOO_LONG = "spam " * 201  # past the 1,000 characters a reason may have


@pytest.fixture
def site(api):
    """A moderator's community with a member's post and comment, and a message from the member to a reader."""
    mod, member, reader = api.register(), api.register(), api.register()
    community = mod.community()["community"]
    post = member.post(community["id"], "Buy cheap watches")["post"]
    comment = member.comment(post["id"], "watches, cheap")["comment"]
    member.api.post("/private_message", {"content": "psst, watches", "recipient_id": reader.person_id})
    url = f"/post/{post['id']}"
    return {"mod": mod, "member": member, "reader": reader, "post_url": url, "comment": comment}


def open_reason(holder: Locator, summary: str, label: str, typed: str) -> None:
    holder.locator("summary", has_text=summary).first.click()
    field = holder.get_by_label(label).first
    field.evaluate("input => input.removeAttribute('maxlength')")  # past the browser's own check, to the server's
    field.fill(typed)
    holder.get_by_role("button", name=summary, exact=True).first.click()


def refused(page: Page, heading: str, message: str, typed: str, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("#reason-error")).to_contain_text(message)
    expect(page.locator("#reason")).to_have_attribute("aria-invalid", "true")
    assert page.locator("#reason + #reason-error").count() == 1
    expect(page.locator("#reason")).to_have_value(typed)
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()  # the real header, logged in


def send_again(page: Page, reason: str, button: str) -> None:
    page.locator("#reason").fill(reason)
    page.get_by_role("button", name=button, exact=True).click()


def test_a_refused_report_comes_back_with_its_reason(pages, site, javascript):
    page = pages(javascript=javascript)
    reader = site["reader"].name
    log_in(page, reader)
    post_url = site["post_url"]
    page.goto(post_url)
    open_reason(page.locator("article.post-row").first, "report", "Reason for the report", TOO_LONG)
    refused(page, "Report a post", "The reason is too long.", TOO_LONG, reader)
    send_again(page, "Spam for watches", "report")
    expect(page.get_by_role("status")).to_have_text("Report sent to the moderators.")
    assert page.url.endswith(post_url)

    page.goto(post_url)
    open_reason(page.locator(f"#c{site['comment']['id']}"), "report", "Reason for the report", "   ")
    refused(page, "Report a comment", "Say why you are reporting this.", "   ", reader)
    send_again(page, "Spam again", "report")
    expect(page.get_by_role("status")).to_have_text("Report sent to the moderators.")

    page.goto("/inbox?view=messages")
    open_reason(page.locator("li", has_text="psst, watches").last, "report", "Reason for the report", TOO_LONG)
    refused(page, "Report a message", "The reason is too long.", TOO_LONG, reader)
    send_again(page, "Unsolicited ads", "report")
    expect(page.get_by_role("status")).to_have_text("Report sent to the admins.")
    assert "/inbox" in page.url


def test_a_refused_warning_or_removal_comes_back_with_its_reason(pages, site, javascript):
    page = pages(javascript=javascript)
    mod, member = site["mod"].name, site["member"].name
    log_in(page, mod)
    post_url = site["post_url"]
    page.goto(post_url)
    row = page.locator("article.post-row").first
    open_reason(row, "warn", "What they did wrong (they are told)", "")
    refused(page, "Warn the author of a post", "Say what they did wrong", "", mod)
    send_again(page, "No advertising", "warn")
    expect(page.get_by_role("status")).to_have_text(f"{member} is warned; they read it in their inbox.")

    page.goto(post_url)
    open_reason(page.locator(f"#c{site['comment']['id']}"), "remove", "Reason for the removal", TOO_LONG)
    refused(page, "Remove a comment", "a reason is at most 1000 characters", TOO_LONG, mod)
    send_again(page, "Advertising", "remove")
    expect(page.get_by_role("status")).to_have_text("Comment removed.")

    page.goto(post_url)
    open_reason(page.locator("article.post-row").first, "remove", "Reason for the removal", TOO_LONG)
    refused(page, "Remove a post", "a reason is at most 1000 characters", TOO_LONG, mod)
    send_again(page, "Advertising", "remove")
    expect(page.get_by_role("status")).to_have_text("Post removed.")
    page.locator("article.post-row").first.get_by_role("button", name="restore").click()
    expect(page.get_by_role("status")).to_have_text("Post restored.")
