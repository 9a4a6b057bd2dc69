"""What people do on the site, in a real browser, with JavaScript on and off: apply and get approved, build a
community, post, comment, reply, vote, sort, page, edit, moderate, log out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in, log_out, mark_page, score_of, still_same_page
from tests.support.client import PASSWORD, unique_name
from tests.support.web import make_admin

pytestmark = pytest.mark.browser


def test_visitor_answers_the_question_an_admin_approves_and_they_log_in(server, pages, javascript):
    admin = make_admin(server)
    desk = pages(javascript=javascript)
    log_in(desk, admin.name)
    desk.goto("/admin")
    desk.get_by_label("Registration", exact=True).select_option("RequireApplication")
    desk.get_by_label("Registration question").fill("What brings you to **Agora**?")
    desk.get_by_role("button", name="Save").click()
    expect(desk.get_by_role("status")).to_have_text("Saved.")

    name = unique_name("visitor")
    visitor = pages(javascript=javascript)
    visitor.goto("/signup")
    expect(visitor.locator("#question strong", has_text="Agora")).to_be_visible()  # the question, as markdown
    visitor.get_by_label("User name").fill(name)
    visitor.get_by_label("Password", exact=True).fill(PASSWORD)
    visitor.get_by_label("Password again").fill(PASSWORD)
    visitor.get_by_label("Your answer").fill("I like threaded discussions.")
    visitor.get_by_role("button", name="Sign up").click()
    expect(visitor.get_by_role("status")).to_contain_text("Your application was sent")

    visitor.goto("/login")
    visitor.get_by_label("User name or email").fill(name)
    visitor.get_by_label("Password", exact=True).fill(PASSWORD)
    visitor.get_by_role("button", name="Log in").click()
    expect(visitor.get_by_role("alert")).to_have_text("Your application is waiting for an admin's approval.")

    desk.goto("/registration_applications")
    application = desk.locator("article.application", has_text=name)
    expect(application).to_contain_text("I like threaded discussions.")
    application.get_by_role("button", name="Approve").click()
    expect(desk.locator("article.application", has_text=name)).to_have_count(0)

    log_in(visitor, name)
    expect(visitor.get_by_role("link", name="Inbox")).to_be_visible()


def test_member_creates_a_community_posts_comments_replies_and_votes(server, api, pages, javascript):
    alice = api.register()
    page = pages(javascript=javascript)
    log_in(page, alice.name)

    page.goto("/create_community")
    name = unique_name("garden")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Title").fill("Gardening Club")
    page.get_by_label("Sidebar: description and rules").fill("Rules:\n\n1. Be kind\n2. **No** spam")
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(f"/c/{name}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gardening Club")
    expect(page.locator(".sidebar .description li")).to_have_count(2)

    page.get_by_role("link", name="Create post").last.click()
    expect(page.get_by_label("Community")).to_have_value(name)
    page.get_by_label("Title").fill("A guide to compost")
    page.get_by_label("Link").fill("https://compost.example/guide")
    page.get_by_role("button", name="Create").click()
    link_post = page.locator("article.post-row").first
    expect(link_post.get_by_role("link", name="A guide to compost")).to_have_attribute(
        "href", "https://compost.example/guide"
    )
    expect(link_post.locator(".domain")).to_have_text("(compost.example)")

    page.goto(f"/c/{name}")
    page.get_by_role("link", name="Create post").last.click()
    page.get_by_label("Title").fill("Tomatoes this year")
    page.get_by_label("Body").fill("Mine are *huge*.")
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".post-body em")).to_have_text("huge")
    post_url = page.url

    mark_page(page)
    page.get_by_label("Comment", exact=True).fill("What variety?")
    page.get_by_role("button", name="Comment", exact=True).click()
    comment = page.locator("li.comment", has_text="What variety?")
    expect(comment).to_be_visible()
    assert still_same_page(page) is javascript  # with JavaScript the comment arrives without a reload
    expect(page.locator("#comments-title")).to_have_text("1 comment")  # the counts follow, with or without a reload
    expect(page.locator("article.post-row").get_by_role("link", name="1 comment")).to_be_visible()

    mark_page(page)
    comment.get_by_role("link", name="reply").click()
    page.get_by_label("Reply").fill("San Marzano.")
    page.get_by_role("button", name="Reply").click()
    reply = page.locator("li.comment li.comment", has_text="San Marzano.")
    expect(reply).to_be_visible()
    assert still_same_page(page) is javascript
    expect(page.locator("#comments-title")).to_have_text("2 comments")
    if not javascript:
        assert page.url.startswith(post_url)
    # The reply's own buttons come back to the post page, also when the script inserted it.
    expect(reply.locator("form.vote input[name=next]")).to_have_value(re.compile(r"^/post/\d+#c\d+$"))

    # Members upvote their own posts on creation; the arrows take the vote back and turn it around.
    page.goto(post_url)
    votes = page.locator("article.post-row form.vote").first
    assert score_of(page, "article.post-row form.vote .score") == 1
    mark_page(page)
    votes.get_by_role("button", name="upvote").click()
    expect(votes.locator(".score")).to_have_text("0")
    votes = page.locator("article.post-row form.vote").first
    votes.get_by_role("button", name="downvote").click()
    expect(page.locator("article.post-row form.vote .score").first).to_have_text("-1")
    expect(page.locator("article.post-row form.vote button.down").first).to_have_attribute("aria-pressed", "true")
    assert still_same_page(page) is javascript
    page.reload()
    expect(page.locator("article.post-row form.vote .score").first).to_have_text("-1")

    log_out(page)
    page.goto(post_url)
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    expect(page.locator("li.comment")).to_have_count(2)


def test_posts_sort_and_page_with_next_and_prev(server, api, pages, javascript):
    alice = api.register()
    community = alice.community()["community"]
    titles = [f"Post {i:02d}" for i in range(25)]
    for title in titles:
        alice.post(community["id"], title)
    page = pages(javascript=javascript)
    page.goto(f"/c/{community['name']}?sort=New")
    rows = page.locator("article.post-row")
    expect(rows).to_have_count(20)
    expect(rows.first.locator(".rank")).to_have_text("1")
    expect(rows.first.locator(".title a").first).to_have_text("Post 24")

    page.get_by_role("link", name="next ›").click()
    expect(rows).to_have_count(5)
    expect(rows.first.locator(".rank")).to_have_text("21")
    expect(rows.last.locator(".title a").first).to_have_text("Post 00")
    expect(page.get_by_role("link", name="next ›")).to_have_count(0)

    page.get_by_role("link", name="‹ prev").click()
    expect(rows).to_have_count(20)
    expect(rows.first.locator(".title a").first).to_have_text("Post 24")
    expect(rows.first.locator(".rank")).to_have_text("1")
    expect(page.get_by_role("link", name="‹ prev")).to_have_count(0)

    page.get_by_label("Sort").select_option("Old")
    page.get_by_role("button", name="Sort").click()
    expect(page).to_have_url(re.compile(r"sort=Old"))
    expect(rows.first.locator(".title a").first).to_have_text("Post 00")


def test_author_edits_a_post_and_it_shows_last_edited(server, api, pages, javascript):
    alice = api.register()
    community = alice.community()["community"]
    post = alice.post(community["id"], "First draft", body="draft body")["post"]
    page = pages(javascript=javascript)
    log_in(page, alice.name)
    page.goto(f"/post/{post['id']}")
    expect(page.locator(".tagline").first).not_to_contain_text("last edited")
    page.locator("article.post-row").get_by_role("link", name="edit").click()
    page.get_by_label("Title").fill("Final version")
    page.get_by_label("Body").fill("final body")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("article.post-row .title a").first).to_have_text("Final version")
    expect(page.locator(".tagline").first).to_contain_text("* (last edited a few seconds ago)")
    expect(page.locator(".post-body")).to_have_text("final body")


def test_moderator_removes_a_comment_and_readers_see_it_removed(server, api, pages, javascript):
    mod, bob = api.register(), api.register()
    community = mod.community()["community"]
    post = mod.post(community["id"], "Discussion")["post"]
    comment = bob.comment(post["id"], "buy cheap watches")["comment"]
    page = pages(javascript=javascript)
    log_in(page, mod.name)
    page.goto(f"/post/{post['id']}")
    item = page.locator(f"#c{comment['id']}")
    item.locator("summary", has_text="remove").click()
    item.get_by_label("Reason for the removal").fill("spam")
    item.get_by_role("button", name="remove").click()
    expect(page.locator(f"#c{comment['id']} .tag.removed")).to_have_text("removed")

    reader = pages(javascript=javascript)
    reader.goto(f"/post/{post['id']}")
    expect(reader.locator(f"#c{comment['id']} .body")).to_have_text("removed by moderator")
    expect(reader.locator("main")).not_to_contain_text("cheap watches")
    reader.goto(f"/modlog/{community['id']}")
    expect(reader.locator("table.modlog tbody tr").first).to_contain_text("Removed comment")
    expect(reader.locator("table.modlog tbody tr").first).to_contain_text("spam")
    expect(reader.locator("table.modlog tbody tr").first).to_contain_text("a moderator")  # names hidden by default
