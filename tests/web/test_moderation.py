"""A moderator's first hour in the browser, JavaScript on and off, on a desktop and a phone: appoint a second
moderator, warn a member twice from their post and comment, ban them with an end date, and the member is told."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in, new_page
from tests.support.client import unique_name
from tests.support.images import still

pytestmark = pytest.mark.browser
ASKED = os.environ.get("AGORA_SCREENSHOTS")  # the README's pictures are rewritten only when asked


@pytest.fixture(params=[1200, 390], ids=["desktop", "phone"])
def width(request) -> int:
    return request.param


def test_moderator_appoints_warns_twice_and_bans_with_an_end(server, api, browser, javascript, width, tmp_path):
    founder, helper, member, reader = (api.register(n) for n in ("Ilya", "Makan", "loudmouth", "comrade"))
    name = "comradeship"
    rules = "Failing to comply with the rules will grant you a few warnings, then a beautiful shiny banwall."
    community = founder.community(name, title="Comradeship", description=rules)["community"]["id"]
    post = member.post(community, name="Off-topic rant")
    comment = member.comment(post["post"]["id"], content="and another rant")
    reader.api.post("/comment/report", {"comment_id": comment["comment"]["id"], "reason": "rant again"})

    page = new_page(browser, server.base_url, javascript=javascript, width=width)
    log_in(page, founder.name)

    page.goto(f"/c/{name}")
    page.get_by_role("link", name="Moderators and bans").click()
    page.get_by_label("Name").first.fill("nobody_by_that_name")
    page.get_by_role("button", name="Appoint").click()
    appoint = page.locator("form#appoint")
    expect(appoint.locator(".field-error")).to_contain_text("nobody here is called nobody_by_that_name")
    expect(page.get_by_role("link", name=founder.name, exact=True)).to_be_visible()  # the header stays logged in
    expect(appoint.get_by_label("Name")).to_have_value("nobody_by_that_name")  # what was typed stays
    appoint.get_by_label("Name").fill(helper.name)
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_role("status")).to_have_text(f"{helper.name} is now a moderator.")
    expect(page.locator(".moderator-list li")).to_have_count(2)

    page.goto(f"/post/{post['post']['id']}")
    row = page.locator("article.post-row").first
    row.locator("summary", has_text="warn").click()
    row.get_by_label("What they did wrong (they are told)").fill("Rule 1: stay on topic")
    row.get_by_role("button", name="warn").click()
    expect(page.get_by_role("status")).to_have_text(f"{member.name} is warned; they read it in their inbox.")

    page.goto(f"/reports?community_id={community}")
    report = page.locator(".context", has_text="rant again")
    report.locator("summary", has_text="warn the author").click()
    report.get_by_label("What they did wrong (they are told)").fill("Rule 1 again")
    report.get_by_role("button", name="warn the author").click()
    expect(page.get_by_role("status")).to_have_text("Report resolved; the author is warned.")
    expect(page.locator(".context", has_text="rant again")).to_have_count(0)  # settled: off the unresolved list

    page.goto(f"/post/{post['post']['id']}")
    page.locator(f"#c{comment['comment']['id']}").get_by_role("link", name="ban from community").first.click()
    ban = page.locator("form#ban")
    expect(ban.get_by_label("Name")).to_have_value(member.name)
    expect(page.locator(".warnings li")).to_have_count(2)  # both warnings, before deciding
    until = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    ban.get_by_label("Reason").fill("Two warnings and still ranting")
    ban.get_by_label("Until").fill((datetime.now(UTC) - timedelta(days=2)).date().isoformat())
    ban.get_by_role("button", name="Ban").click()
    expect(ban.locator(".field-error")).to_have_text("A ban must end in the future.")
    expect(ban.get_by_label("Reason")).to_have_value("Two warnings and still ranting")
    ban.get_by_label("Until").fill(until)
    ban.get_by_role("button", name="Ban").click()
    expect(page.get_by_role("status")).to_have_text(f"{member.name} is banned from c/{name} until {until}.")
    banned_row = page.locator("table.bans tr", has_text=member.name)
    expect(banned_row).to_contain_text("Two warnings and still ranting")
    page.goto(f"/u/{member.name}")
    expect(page.locator(".sidebar .warnings li")).to_have_count(2)
    expect(page.locator(".sidebar .community-bans")).to_contain_text(f"banned from c/{name}")
    page.goto(f"/c/{name}/moderation?person={member.name}")
    shots = Path(ASKED) if ASKED else tmp_path  # a test run leaves the working tree as it was
    if javascript:
        page.screenshot(path=shots / f"moderation{'' if width == 1200 else '-phone'}.png", full_page=width == 1200)

    them = new_page(browser, server.base_url, javascript=javascript, width=width)
    log_in(them, member.name)
    them.goto("/inbox?view=warnings")
    expect(them.locator(".warnings li")).to_have_count(2)
    expect(them.locator(".warnings")).to_contain_text("Rule 1: stay on topic")
    them.goto(f"/c/{name}")
    notice = them.get_by_role("alert")
    expect(notice).to_contain_text("You are banned from this community until")
    expect(notice).to_contain_text("Two warnings and still ranting")
    if javascript and width == 1200:
        them.screenshot(path=shots / "banned.png")

    page.goto(f"/c/{name}/moderation")
    page.locator("table.bans tr", has_text=member.name).get_by_role("button", name="unban").click()
    expect(page.get_by_role("status")).to_have_text(f"{member.name} may take part again.")
    expect(page.locator("table.bans")).to_contain_text("Nobody is banned.")
    them.context.close()
    page.context.close()


def test_moderator_uploads_an_icon_and_a_banner(server, api, browser, javascript, tmp_path):
    founder = api.register()
    name = unique_name("pictures")
    founder.community(name)
    icon, banner = tmp_path / "icon.png", tmp_path / "banner.png"
    icon.write_bytes(still("PNG", (64, 64)))
    banner.write_bytes(still("PNG", (600, 120), colour=(20, 120, 200)))
    page = new_page(browser, server.base_url, javascript=javascript)
    log_in(page, founder.name)
    page.goto(f"/c/{name}/edit")
    page.get_by_label("Upload an icon").set_input_files(icon)
    page.get_by_label("Upload a banner").set_input_files(banner)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Community saved.")
    expect(page.locator(".community-header img.banner")).to_have_attribute("src", re.compile("/pictrs/image/"))
    source = page.locator(".community-header img.icon").get_attribute("src")
    assert page.request.get(source).headers["content-type"].startswith("image/")
    page.goto(f"/c/{name}/edit")
    expect(page.get_by_label("or an image link").first).to_have_value(source)
    page.context.close()


def test_on_a_phone_the_community_summary_comes_first_and_folds(server, api, browser, javascript):
    founder = api.register()
    name = unique_name("phone")
    community = founder.community(name, description="Rule 1: be kind")["community"]["id"]
    for n in range(3):
        founder.post(community, name=f"Post {n}")
    phone = new_page(browser, server.base_url, javascript=javascript, width=390)
    log_in(phone, founder.name)
    phone.goto(f"/c/{name}")
    subscribe = phone.locator(".sidebar form.subscribe button")
    first_post = phone.locator("article.post-row").first
    assert subscribe.bounding_box()["y"] < first_post.bounding_box()["y"]  # before the posts, not after them
    rules = phone.locator(".sidebar .description")
    expect(rules).to_be_hidden()
    phone.get_by_text("About, rules and moderators").click()
    expect(rules).to_be_visible()
    header = phone.locator("header.top").bounding_box()
    line = phone.locator("header.top .brand").bounding_box()["height"]
    assert header["height"] < 3 * line + 40  # two rows of links, never three
    for target in phone.locator("ul.actions button.link, ul.actions a").all()[:12]:
        box = target.bounding_box()
        assert box is None or box["height"] >= 24  # WCAG 2.2 target size

    desk = new_page(browser, server.base_url, javascript=javascript)
    desk.goto(f"/c/{name}")
    expect(desk.locator(".sidebar .description")).to_be_visible()  # a wide screen shows it all, unfolded
    expect(desk.get_by_text("About, rules and moderators")).to_be_hidden()
    phone.context.close()
    desk.context.close()


def test_every_moderation_button_says_what_it_did(server, api, browser, javascript):
    from tests.support.web import make_admin

    admin, member = make_admin(server), api.register()
    community = admin.community()["community"]
    post = member.post(community["id"], "Locked soon")["post"]
    mine = admin.comment(post["id"], "Stay on topic, please")["comment"]
    page = new_page(browser, server.base_url, javascript=javascript)
    log_in(page, admin.name)

    page.goto(f"/post/{post['id']}")
    steps = [
        ("lock", "Post locked: no new comments."),
        ("unlock", "Post unlocked: comments are open again."),
        ("feature", "Post featured in its community."),
        ("unfeature", "Post no longer featured."),
        ("save", "Saved: find it under Saved on your profile."),
    ]
    for button, said in steps:
        page.locator("article.post-row").first.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_role("status")).to_have_text(said)
    page.locator(f"#c{mine['id']}").get_by_role("button", name="distinguish", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Comment marked as the moderators' word.")

    page.goto(f"/u/{member.name}")
    page.locator("summary", has_text="Ban from site").click()
    page.get_by_label("Reason", exact=True).fill("Spam everywhere")
    page.get_by_label("Days").fill("3")
    page.get_by_role("button", name="Ban", exact=True).click()
    until = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    expect(page.get_by_role("status")).to_have_text(f"{member.name} is banned from the site until {until}.")
    page.get_by_role("button", name="Lift the site ban").click()
    expect(page.get_by_role("status")).to_have_text(f"{member.name} is no longer banned from the site.")
    page.context.close()
