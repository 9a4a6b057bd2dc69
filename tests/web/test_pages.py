"""The pages around the listings, driven as a browser without JavaScript would (plain forms, redirects): tabs,
subscribing, image posts, cross-posts, profiles, inbox, messages, search, reports, bans, instances, deep threads,
the captcha and private sites."""

from __future__ import annotations

import io
import re
from html import unescape

from PIL import Image
from sqlalchemy import select

from agora.db.models import CaptchaAnswer
from tests.support.client import PASSWORD
from tests.support.web import Visitor, make_admin, text_of


def titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<h[12] class="title" id="t\d+">\s*<a [^>]*>([^<]+)</a>', html)]


def test_front_page_tabs_show_all_local_and_subscribed_posts(server, api):
    alice, bob = api.register(), api.register()
    followed, other = alice.community()["community"], bob.community()["community"]
    alice.post(followed["id"], "In the followed community")
    bob.post(other["id"], "Somewhere else")
    member = Visitor(server.base_url).log_in(alice.name)
    assert set(titles(member.get("/?listingType=All").text)) == {"In the followed community", "Somewhere else"}
    assert titles(member.get("/?listingType=Subscribed").text) == ["In the followed community"]
    assert set(titles(member.get("/?listingType=Local").text)) == {"In the followed community", "Somewhere else"}
    anonymous = Visitor(server.base_url).get("/").text
    assert ">Subscribed</a>" not in anonymous and ">Local</a>" in anonymous and ">All</a>" in anonymous


def test_subscribing_from_the_community_page_counts_a_reader(server, api):
    owner, reader = api.register(), api.register()
    community = owner.community()["community"]
    visitor = Visitor(server.base_url).log_in(reader.name)
    page = f"/c/{community['name']}"
    assert "1 reader<" in visitor.get(page).text
    assert visitor.submit(f"{page}/subscribe", {"follow": "1"}, page=page).status_code == 303
    html = visitor.get(page).text
    assert "2 readers<" in html and ">Unsubscribe</button>" in html
    visitor.submit(f"{page}/subscribe", {"follow": "0"}, page=page)
    assert "1 reader<" in visitor.get(page).text


def test_an_uploaded_image_becomes_an_image_post(server, api):
    member = api.register()
    community = member.community()["community"]
    visitor = Visitor(server.base_url).log_in(member.name)
    picture = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 80, 40)).save(picture, format="PNG")
    response = visitor.http.post(
        "/create_post",
        data={
            "csrf_token": visitor.token("/create_post"),
            "community": community["name"],
            "name": "Sunset",
            "alt_text": "An orange sky",
        },
        files={"image": ("sunset.png", picture.getvalue(), "image/png")},
    )
    assert response.status_code == 303
    html = visitor.get(response.headers["location"]).text
    image = re.search(r'<figure class="post-image"><a href="([^"]+)"[^>]*><img src="\1" alt="An orange sky"', html)
    assert image and "/pictrs/image/" in image.group(1)
    served = visitor.get(image.group(1).replace(server.base_url, ""))
    assert served.status_code == 200 and served.headers["content-type"].startswith("image/")
    assert re.search(r'<a class="thumb"[^>]*><img src="[^"]+-thumb\.webp"', html)


def test_crosspost_form_starts_from_the_original(server, api):
    member = api.register()
    community = member.community()["community"]
    original = member.post(community["id"], "Worth sharing", url="https://example.org/a", body="line one")["post"]
    html = Visitor(server.base_url).log_in(member.name).get(f"/create_post?crosspost={original['id']}").text
    assert 'value="Worth sharing"' in html and 'value="https://example.org/a"' in html
    assert f"cross-posted from: {original['ap_id']}\n\n&gt; line one</textarea>" in html


def test_profiles_show_posts_comments_and_only_to_their_owner_what_they_saved(server, api):
    alice, bob = api.register(), api.register()
    community = bob.community()["community"]
    post = bob.post(community["id"], "Bob's thoughts")["post"]
    alice.comment(post["id"], "Alice replies here")
    alice.api.put("/post/save", {"post_id": post["id"], "save": True})
    alice.api.put("/user/save_user_settings", {"bio": "I *like* gardens", "display_name": "Alice A."})
    own = Visitor(server.base_url).log_in(alice.name)
    assert "Alice replies here" in own.get(f"/u/{alice.name}?view=comments").text
    saved = own.get(f"/u/{alice.name}?view=saved").text
    assert titles(saved) == ["Bob's thoughts"]
    profile = Visitor(server.base_url).get(f"/u/{alice.name}").text
    assert "<h1>Alice A.</h1>" in profile and "I <em>like</em> gardens" in profile
    assert ">Saved</a>" not in profile
    assert titles(Visitor(server.base_url).get(f"/u/{alice.name}?view=saved").text) == []


def test_inbox_shows_replies_mentions_and_messages_and_marks_them_read(server, api):
    alice, bob = api.register(), api.register()
    community = alice.community()["community"]
    post = alice.post(community["id"], "Hello")["post"]
    comment = alice.comment(post["id"], "first")["comment"]
    bob.comment(post["id"], "a reply to alice", parent_id=comment["id"])
    bob.comment(post["id"], f"hey @{alice.name} look")
    inbox = Visitor(server.base_url).log_in(alice.name)
    compose = f"/create_private_message/{alice.person_id}"
    bobs = Visitor(server.base_url).log_in(bob.name)
    assert bobs.submit(compose, {"content": "a *private* word"}, page=compose).status_code == 303
    html = inbox.get("/inbox").text
    # Two replies (one to her comment, one to her post, which also mentions her), a mention and a message.
    assert re.search(r'class="badge"[^>]*>4<', html)
    assert "a reply to alice" in html
    mentions = inbox.get("/inbox?view=mentions").text
    assert f"hey @{alice.name} look" in text_of(mentions) and f'<a href="/u/{alice.name}"' in mentions
    assert "a <em>private</em> word" in inbox.get("/inbox?view=messages").text
    assert inbox.submit("/inbox/mark_all_read", page="/inbox").status_code == 303
    assert 'class="badge"' not in inbox.get("/inbox").text
    assert "a reply to alice" not in inbox.get("/inbox?unread=1").text


def test_search_finds_posts_comments_communities_and_people(server, api):
    member = api.register("gardener")
    community = member.community("allotments", title="Allotment life")["community"]
    post = member.post(community["id"], "Growing pumpkins", body="Big orange pumpkins")["post"]
    found = member.comment(post["id"], "Pumpkins need space")["comment"]
    member.comment(post["id"], "and water", parent_id=found["id"])
    visitor = Visitor(server.base_url)
    html = visitor.get("/search?q=pumpkins").text
    assert "Growing pumpkins" in html and "Pumpkins need space" in html
    assert "load more replies" not in html  # a result is one comment, not a thread cut short
    assert "c/allotments@" in visitor.get("/search?q=allot&type=Communities").text
    assert "gardener@" in visitor.get("/search?q=garden&type=Users").text
    assert "Nothing found" in visitor.get("/search?q=zucchini").text


def test_reports_reach_the_moderator_who_resolves_them(server, api):
    mod, reader, author = api.register(), api.register(), api.register()
    community = mod.community()["community"]
    post = author.post(community["id"], "Questionable")["post"]
    comment = author.comment(post["id"], "rude words")["comment"]
    reporter = Visitor(server.base_url).log_in(reader.name)
    page = f"/post/{post['id']}"
    assert reporter.submit(f"/post/{post['id']}/report", {"reason": "off topic"}, page=page).status_code == 303
    assert reporter.submit(f"/comment/{comment['id']}/report", {"reason": "insults"}, page=page).status_code == 303
    queue = Visitor(server.base_url).log_in(mod.name)
    html = queue.get("/reports").text
    assert "off topic" in html and "insults" in html
    report_id = re.search(r'id="post-report-(\d+)"', html).group(1)
    assert queue.submit("/reports/resolve", {"kind": "post", "id": report_id, "resolved": "1"}, page="/reports")
    html = queue.get("/reports").text
    assert "off topic" not in html and "insults" in html
    assert "off topic" in queue.get("/reports?all=1").text
    assert "insults" not in Visitor(server.base_url).log_in(reader.name).get("/reports").text


def test_admin_bans_from_the_profile_and_lifts_the_ban_from_the_ban_list(server, api):
    admin, bob = make_admin(server), api.register()
    desk = Visitor(server.base_url).log_in(admin.name)
    profile = f"/u/{bob.name}"
    banned = desk.submit(f"{profile}/ban", {"ban": "1", "reason": "spam", "days": "3"}, page=profile)
    assert banned.status_code == 303
    assert bob.name in desk.get("/admin/bans").text
    refused = Visitor(server.base_url).submit("/login", {"username_or_email": bob.name, "password": PASSWORD})
    assert refused.status_code == 400 and "You are banned from this site." in refused.text
    assert "Banned from site" in desk.get("/modlog").text
    desk.submit(f"{profile}/ban", {"ban": "0", "next": "/admin/bans"}, page="/admin/bans")
    ban_list = desk.get("/admin/bans").text
    assert f"{bob.name} is no longer banned from the site." in ban_list and f">{bob.name}@" not in ban_list
    Visitor(server.base_url).log_in(bob.name)
    instances = desk.get("/instances").text
    assert re.search(rf"{re.escape(server.settings.hostname)} <span class=\"tag\">this one</span>", instances)


def test_deep_threads_continue_on_the_comment_page(server, api):
    member = api.register()
    post = member.post(member.community()["community"]["id"], "Deep")["post"]
    parent = None
    chain = []
    for depth in range(11):
        parent = member.comment(post["id"], f"level {depth}", parent_id=parent)["comment"]["id"]
        chain.append(parent)
    visitor = Visitor(server.base_url)
    html = visitor.get(f"/post/{post['id']}").text
    assert "level 7" in html and "level 8" not in html
    more = re.search(r'<a href="(/comment/\d+)">load more replies \((\d+)\)</a>', html)
    assert more and more.group(1) == f"/comment/{chain[7]}" and more.group(2) == "3"
    rest = visitor.get(more.group(1)).text
    assert all(f"level {d}" in rest for d in (7, 8, 9, 10)) and "level 6" not in rest
    assert f'href="/comment/{chain[6]}">show the parent comment' in rest


def test_comments_are_edited_and_deleted_without_javascript(server, api):
    member = api.register()
    post = member.post(member.community()["community"]["id"], "Edits")["post"]
    comment = member.comment(post["id"], "typo hree")["comment"]
    visitor = Visitor(server.base_url).log_in(member.name)
    edit = f"/comment/{comment['id']}/edit"
    assert "typo hree</textarea>" in visitor.get(edit).text
    assert visitor.submit(edit, {"content": "typo here"}, page=edit).status_code == 303
    html = visitor.get(f"/post/{post['id']}").text
    assert "typo here" in html and "* (last edited a few seconds ago)" in text_of(html)
    empty = visitor.submit(edit, {"content": "  "}, page=edit)
    assert empty.status_code == 400
    page = f"/post/{post['id']}"
    visitor.submit(f"/comment/{comment['id']}/delete", {"deleted": "1"}, page=page)
    assert "deleted by creator" in Visitor(server.base_url).get(page).text


def test_moderators_edit_their_community_and_others_may_not(server, api):
    mod, other = api.register(), api.register()
    community = mod.community()["community"]
    edit = f"/c/{community['name']}/edit"
    visitor = Visitor(server.base_url).log_in(mod.name)
    fields = {"title": "Renamed", "description": "New **rules**", "visibility": "Public"}
    assert visitor.submit(edit, fields, page=edit).status_code == 303
    html = visitor.get(f"/c/{community['name']}").text
    assert "<h1>Renamed</h1>" in html and "New <strong>rules</strong>" in html
    refused = Visitor(server.base_url).log_in(other.name).submit(edit, {"title": "Hijacked"}, page=edit)
    assert refused.status_code == 400 and "Only moderators may do that." in refused.text


def test_signup_with_the_captcha_on(server):
    admin = make_admin(server)
    admin.api.put("/site", {"captcha_enabled": True})
    visitor = Visitor(server.base_url)

    def signup_page():
        html = visitor.get("/signup").text
        assert re.search(r'<img class="captcha" src="data:image/png;base64,[A-Za-z0-9+/=]+"', html)
        return re.search(r'name="captcha_uuid" value="([0-9a-f-]+)"', html).group(1)

    fields = {"username": "humanoid", "password": PASSWORD, "password_verify": PASSWORD}
    key = signup_page()
    wrong = visitor.submit("/signup", {**fields, "captcha_uuid": key, "captcha_answer": "nope"}, page="/signup")
    assert wrong.status_code == 400 and "The captcha answer was wrong" in wrong.text
    key = signup_page()

    async def answer():  # read the answer the picture shows, as a person would see it
        async with server.state.db.read() as session:
            return (await session.execute(select(CaptchaAnswer.answer).where(CaptchaAnswer.uuid == key))).scalar_one()

    right = visitor.submit("/signup", {**fields, "captcha_uuid": key, "captcha_answer": server.run(answer)})
    assert right.status_code == 303 and "jwt" in visitor.http.cookies


def test_a_private_site_sends_visitors_to_log_in(server, api):
    admin = make_admin(server)
    admin.api.put("/site", {"private_instance": True, "federation_enabled": False})
    visitor = Visitor(server.base_url)
    front = visitor.get("/")
    assert front.status_code == 303 and front.headers["location"].startswith("/login")
    assert visitor.get("/c/anything").status_code == 303
    assert visitor.get("/login").status_code == 200
    member = Visitor(server.base_url).log_in(admin.name)
    assert member.get("/").status_code == 200


def test_settings_save_and_a_password_change_ends_other_sessions(server, api):
    member = api.register()
    here, elsewhere = Visitor(server.base_url).log_in(member.name), Visitor(server.base_url).log_in(member.name)
    fields = {
        "display_name": "Gardener",
        "bio": "Grows *things*",
        "default_sort_type": "New",
        "default_listing_type": "All",
        "show_read_posts": "on",
    }
    assert here.submit("/settings", fields, page="/settings").status_code == 303
    html = here.get("/settings?saved=settings").text
    assert (
        'value="Gardener"' in html
        and "Grows *things*</textarea>" in html
        and '<option value="New" selected>New</option>' in html
    )
    assert "Grows <em>things</em>" in here.get(f"/u/{member.name}").text
    new = {"new_password": "a new password!", "new_password_verify": "a new password!"}
    wrong = here.submit("/settings/password", {"old_password": "not it at all", **new}, page="/settings")
    assert wrong.status_code == 400
    assert 'id="old_password-error" role="alert">The current password is wrong.</p>' in wrong.text
    assert f'class="me">{member.name}</a>' in wrong.text  # the header of the member, not of a visitor
    refused = here.submit("/settings", {**fields, "bio": "Still *growing*", "email": "taken"}, page="/settings")
    assert refused.status_code == 400 and "Still *growing*</textarea>" in refused.text  # what was typed stays
    assert "invalid email address" in refused.text and 'role="alert"' in refused.text
    changed = here.submit("/settings/password", {"old_password": PASSWORD, **new}, page="/settings")
    assert changed.status_code == 303
    assert "every other session was logged out" in here.get(changed.headers["location"]).text
    assert elsewhere.get("/settings").status_code == 303  # its token was revoked: back to the login page
    Visitor(server.base_url).log_in(member.name, "a new password!")


def test_a_new_avatar_from_the_settings_page_deletes_the_old_one(server, api):
    member = api.register()
    visitor = Visitor(server.base_url).log_in(member.name)

    def upload_avatar(colour):
        picture = io.BytesIO()
        Image.new("RGB", (96, 96), colour).save(picture, format="PNG")
        files = {"avatar": ("me.png", picture.getvalue(), "image/png")}
        response = visitor.submit("/settings", {"display_name": "Gardener"}, page="/settings", files=files)
        assert response.status_code == 303, response.text
        return member.api.get("/site")["my_user"]["local_user_view"]["person"]["avatar"]

    first = upload_avatar((10, 200, 10))
    second = upload_avatar((10, 10, 200))
    assert [i["local_image"]["pictrs_alias"] for i in member.api.get("/account/list_media")["images"]] == [
        second.rsplit("/", 1)[1].replace("-thumb.webp", ".png")
    ]
    assert visitor.get(first.replace(server.base_url, "")).status_code == 404
    assert visitor.get(second.replace(server.base_url, "")).status_code == 200


def test_long_threads_read_as_one_list_fifty_a_page(server, api):
    member = api.register()
    post = member.post(member.community()["community"]["id"], "Busy")["post"]
    first = member.comment(post["id"], "number 00")["comment"]
    for i in range(1, 55):
        member.comment(post["id"], f"number {i:02d}", parent_id=first["id"] if i % 2 else None)
    visitor = Visitor(server.base_url)
    tree_page = visitor.get(f"/post/{post['id']}?sort=Old").text
    assert "show all in one list" in tree_page and tree_page.count('<li class="comment') == 55
    flat = visitor.get(f"/post/{post['id']}?sort=Old&view=flat").text
    assert flat.count('<li class="comment') == 50 and "number 00" in flat and "number 49" in flat
    # 25 of the first comment's 27 replies are in this list: only the other two are left to load
    assert re.findall(r'<a href="(/comment/\d+)">load more replies \((\d+)\)', flat) == [
        (f"/comment/{first['id']}", "2")
    ]
    following = unescape(re.search(r'href="\?([^"]+)" rel="next"', flat).group(1))
    rest = visitor.get(f"/post/{post['id']}?{following}").text
    assert rest.count('<li class="comment') == 5 and "number 54" in rest and "number 49" not in rest
    assert 'rel="prev"' in rest and 'rel="next"' not in rest and "load more replies" not in rest


def test_an_unknown_path_is_a_page_for_a_browser_and_json_for_an_app(server):
    visitor = Visitor(server.base_url)
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = visitor.get("/no/such/place", headers=browser)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in page.headers and "Nothing is here." in page.text
    assert 'href="/login"' in page.text  # the site's own header, so the visitor can go on from here
    for path in ("/api/v3/no_such_route", "/pictrs/image/missing/more"):
        refused = visitor.get(path, headers=browser)
        assert refused.status_code == 404 and refused.json()["error"] == "not_found", path
    assert visitor.get("/no/such/place").json()["error"] == "not_found"  # an app's Accept: JSON as before


def test_a_refused_site_ban_comes_back_with_its_reason_and_days(server, api):
    admin, bob = make_admin(server), api.register()
    desk = Visitor(server.base_url).log_in(admin.name)
    profile = f"/u/{bob.name}"
    too_long = "spam " * 201
    refused = desk.submit(f"{profile}/ban", {"ban": "1", "reason": too_long, "days": "3"}, page=profile)
    assert refused.status_code == 400
    assert f'value="{too_long}"' in refused.text and 'aria-invalid="true"' in refused.text
    assert '<input type="hidden" name="days" value="3">' in refused.text
    assert f"Ban {bob.name} from the site" in refused.text and f">{admin.name}<" in refused.text  # the admin's header
    assert bob.name not in desk.get("/admin/bans").text  # nothing was written
    banned = desk.submit(f"{profile}/ban", {"ban": "1", "reason": "spam", "days": "3"}, page=profile)
    assert banned.status_code == 303 and bob.name in desk.get("/admin/bans").text
