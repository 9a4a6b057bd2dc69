"""The "edited" mark on a post or comment links to the versions its edits replaced; a removed post's versions are
for its moderators, as the post itself is."""

from __future__ import annotations

import re

from tests.support.web import Visitor, page_problems, text_of


def _history_link(html: str, kind: str, item_id: int) -> str:
    found = re.search(rf'href="(/{kind}/{item_id}/history)"[^>]*>last edited', html)
    assert found, f"no edited link to the {kind}'s history"
    return found.group(1)


def test_the_edited_mark_leads_to_the_earlier_versions(server, api):
    author = api.register()
    community = author.community()["community"]["id"]
    post = author.post(community, name="Draft title", body="draft *body*")["post"]["id"]
    author.api.put("/post", {"post_id": post, "name": "Final title"})
    comment = author.comment(post, "first take")["comment"]["id"]
    author.api.put("/comment", {"comment_id": comment, "content": "second take"})
    visitor = Visitor(server.base_url)
    page = visitor.get(f"/post/{post}").text

    history = visitor.get(_history_link(page, "post", post))
    assert history.status_code == 200 and not page_problems(history.text)
    shown = text_of(history.text)
    assert "Draft title" in shown and "draft body" in shown and "Final title" not in shown
    assert f"{author.name}@" in shown and f'href="/post/{post}"' in history.text

    versions = visitor.get(_history_link(page, "comment", comment)).text
    assert "first take" in text_of(versions) and "second take" not in text_of(versions)


def test_an_unedited_post_has_no_link_and_an_empty_history(server, api):
    author = api.register()
    post = author.post(author.community()["community"]["id"])["post"]["id"]
    visitor = Visitor(server.base_url)
    assert f"/post/{post}/history" not in visitor.get(f"/post/{post}").text
    assert "No earlier versions" in visitor.get(f"/post/{post}/history").text


def test_a_removed_posts_history_is_for_its_moderators(server, api):
    mod, author, bystander = api.register(), api.register(), api.register()
    post = author.post(mod.community()["community"]["id"], body="before")["post"]["id"]
    author.api.put("/post", {"post_id": post, "body": "after"})
    mod.api.post("/post/remove", {"post_id": post, "removed": True, "reason": "off topic"})
    moderator = Visitor(server.base_url).log_in(mod.name)
    assert "before" in text_of(moderator.get(f"/post/{post}/history").text)
    assert Visitor(server.base_url).log_in(bystander.name).get(f"/post/{post}/history").status_code == 404
    assert Visitor(server.base_url).get("/post/999999/history").status_code == 404
