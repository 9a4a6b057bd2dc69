"""How the pages look and handle: screenshots for the README, a 360-pixel phone, the dark theme, the keyboard,
and a Content Security Policy that never has to refuse anything of ours."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from agora.jobs import activity
from tests.support.browser import log_in, new_page
from tests.support.clock import age_post

pytestmark = pytest.mark.browser
# The README's pictures are rewritten only when asked (AGORA_SCREENSHOTS=docs/screenshots)
ASKED = os.environ.get("AGORA_SCREENSHOTS")


@pytest.fixture
def freechat(server, api):
    """A community like the seed's, with a discussion worth a screenshot."""
    mod, ace, makan, reader = (api.register(name) for name in ("Ilya", "DisabledAceSocialist", "Makan", "comrade"))
    description = (
        "Talk about whatever, respecting the rules established by the instance. Failing to comply with the rules "
        "will grant you a few warnings, insisting on breaking them will grant you a beautiful shiny banwall.\n\n"
        "A community for comrades to chat and talk about whatever doesn't fit other communities"
    )
    community = mod.community("comradeship", title="Comradeship // Freechat", description=description)["community"]
    for person in (ace, makan, reader):
        person.api.post("/community/follow", {"community_id": community["id"], "follow": True})
    posts = [
        (makan, "Healing from trauma: what worked for you?", None, "Trying to notice schemas within my own mind."),
        (ace, "Thank you!", "https://ko-fi.example/goal", None),
        (reader, "Recurring dreams", None, "If you'd be willing to share, I'd like to know about yours."),
        (ace, "Some money on my card", None, "cross-posted from: https://hexbear.net/post/4747084\n\nFeels good."),
        (makan, "What's a way to get disability benefits?", None, "I thought I had it."),
    ]
    made = [author.post(community["id"], title, url=url, body=body)["post"] for author, title, url, body in posts]
    for i, post in enumerate(made):
        age_post(server, post["id"], timedelta(days=90 - 15 * i))
    ace.api.put("/post", {"post_id": made[1]["id"], "name": "Thank you!"})
    discussion = made[0]
    first = ace.comment(discussion["id"], "Therapy helped, and so did **writing things down**.")["comment"]
    reply = makan.comment(discussion["id"], "Writing things down is underrated.", parent_id=first["id"])["comment"]
    reader.comment(discussion["id"], "Same here, every morning.", parent_id=reply["id"])
    reader.comment(discussion["id"], "Long walks. Hope you are doing well, comrade!")
    for voter in (ace, reader):
        voter.vote_post(discussion["id"], 1)
    reader.vote_comment(first["id"], 1)
    server.run(lambda: activity.refresh_active_users(server.state))
    return {"community": community, "discussion": discussion, "reader": reader}


def test_screenshots_of_the_community_page_and_a_post_page(server, browser, freechat, tmp_path):
    shots = Path(ASKED) if ASKED else tmp_path  # a test run leaves the working tree as it was
    shots.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, server.base_url, width=1100)
    log_in(page, freechat["reader"].name)
    page.goto("/c/comradeship?sort=New")
    expect(page.locator("article.post-row")).to_have_count(5)
    page.screenshot(path=shots / "community.png", full_page=True)
    page.goto(f"/post/{freechat['discussion']['id']}")
    expect(page.locator("li.comment")).to_have_count(4)
    page.screenshot(path=shots / "post.png", full_page=True)
    phone = new_page(browser, server.base_url, width=360, dark=True)
    phone.goto(f"/post/{freechat['discussion']['id']}")
    phone.screenshot(path=shots / "post-phone-dark.png")
    for shot in ("community.png", "post.png", "post-phone-dark.png"):
        assert (shots / shot).stat().st_size > 10_000
    page.context.close()
    phone.context.close()


@pytest.mark.parametrize("path", ["/c/comradeship", "/post/1", "/", "/signup", "/communities", "/u/Makan"])
def test_pages_fit_a_360_pixel_phone(server, browser, freechat, path):
    page = new_page(browser, server.base_url, width=360)
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    page.context.close()


def test_the_theme_follows_the_system_setting(server, browser, freechat):
    colours = {}
    for dark in (False, True):
        page = new_page(browser, server.base_url, dark=dark)
        page.goto("/c/comradeship")
        colours[dark] = page.evaluate(
            "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
        )
        page.context.close()
    assert colours[False][0] == "rgb(255, 255, 255)"
    assert colours[True][0] == "rgb(22, 24, 27)" and colours[True][1] == "rgb(228, 230, 233)"


def test_keyboard_alone_reaches_the_content_and_votes(server, browser, freechat):
    page = new_page(browser, server.base_url)
    log_in(page, freechat["reader"].name)
    page.goto(f"/post/{freechat['discussion']['id']}")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(page.url.split("#")[0] + "#main")
    upvote = page.locator("article.post-row button.up")
    upvote.focus()
    before = page.locator("article.post-row .score").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("article.post-row .score")).not_to_have_text(before)
    reply = page.locator("li.comment a.reply-link").first
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".reply-holder textarea")).to_be_focused()
    page.context.close()


def test_our_own_pages_never_trip_the_content_security_policy(server, browser, freechat):
    refused = []
    page = new_page(browser, server.base_url)
    page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
    log_in(page, freechat["reader"].name)
    for path in ("/", "/c/comradeship", f"/post/{freechat['discussion']['id']}", "/inbox", "/settings", "/search?q=a"):
        page.goto(path)
        page.wait_for_load_state("load")
    page.goto(f"/post/{freechat['discussion']['id']}")
    page.locator("li.comment a.reply-link").first.click()
    page.locator("form.vote button.up").first.click()
    page.wait_for_timeout(200)
    assert refused == []
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_comment_collapses_and_expands(server, browser, freechat, javascript):
    page = new_page(browser, server.base_url, javascript=javascript)
    page.goto(f"/post/{freechat['discussion']['id']}")
    first = page.locator("li.comment").first
    body = first.locator(".body").first
    nested = first.locator("li.comment").first
    author = first.locator("p.meta a.person").first
    expect(body).to_be_visible()
    toggle = first.locator("summary").first
    assert toggle.locator("a, button, input, select, textarea, [tabindex]").count() == 0  # axe: nested-interactive
    toggle.click()
    expect(body).to_be_hidden()
    expect(nested).to_be_hidden()
    expect(author).to_be_visible()  # a folded comment still says whose it is
    toggle.click()
    expect(nested).to_be_visible()
    page.context.close()


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_meets_wcag_aa_contrast_in_both_themes(server, browser, freechat, dark):
    page = new_page(browser, server.base_url, dark=dark)
    log_in(page, freechat["reader"].name)
    page.goto("/c/comradeship")
    pairs = page.evaluate(
        """() => {
        const style = (selector) => getComputedStyle(document.querySelector(selector));
        const body = style("body").backgroundColor, side = style("aside.sidebar").backgroundColor;
        return {
          text: [style("body").color, body],
          tagline: [style(".tagline").color, body],
          link: [style(".tagline a").color, body],
          actions: [style("ul.actions a").color, body],
          rank: [style(".rank").color, body],
          sidebar: [style("aside.sidebar p").color, side],
          moderators: [style("aside.sidebar h3").color, side],
          button: [style("aside.sidebar a.button").color, style("aside.sidebar a.button").backgroundColor],
          secondary: [style("aside.sidebar button.secondary").color, side],
          header: [style("header.top a").color, style("header.top").backgroundColor],
        };
    }"""
    )
    for name, (foreground, background) in pairs.items():
        assert contrast(foreground, background) >= 4.5, (name, foreground, background)
    page.context.close()
