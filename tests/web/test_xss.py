"""A corpus of XSS payloads in every place members write (titles, bodies, comments, bios, names, community texts,
messages, reasons, the site sidebar, search terms) renders harmless: as markup nothing can run, and in chromium no
script runs and the CSP never has to refuse anything."""

from __future__ import annotations

import pytest

from tests.support.browser import log_in, new_page
from tests.support.web import Visitor, make_admin, page_problems

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<iframe src=https://evil.example></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    '<a href="javascript:alert(1)">html link</a>',
    '<a href="&#106;avascript:alert(1)">entity link</a>',
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    "[markdown link](javascript:alert(1))",
    "[mixed case](JaVaScRiPt:alert(1))",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    '![image](x "onerror=alert(1)")',
    '[title attr](https://example.org "onclick=alert(1)")',
    '<https://example.org/"onmouseover="alert(1)>',
    "::: spoiler <img src=x onerror=alert(1)>\nhidden\n:::",
    "`<script>alert(1)</script>` in code",
    "```\n<script>alert(1)</script>\n```",
    "@<script>alert(1)</script>@example.org",
    "{{ 7*7 }} {% raw %}",
]
BODY = "\n\n".join(CORPUS)
SHORT = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile(server, api):
    """Every writable field filled with payloads, and the pages that show them."""
    admin = make_admin(server)
    admin.api.put("/site", {"sidebar": BODY})
    author, reader = api.register(), api.register()
    author.api.put("/user/save_user_settings", {"bio": "\n\n".join(CORPUS[:12]), "display_name": SHORT})
    community = author.community(title="<script>alert(1)</script>", description=BODY)["community"]
    post = author.post(community["id"], "<script>alert(1)</script> & <b>bold</b>", body=BODY)["post"]
    comment = author.comment(post["id"], BODY)["comment"]
    reply = reader.comment(post["id"], CORPUS[1], parent_id=comment["id"])["comment"]
    author.api.post("/private_message", {"recipient_id": reader.person_id, "content": BODY})
    reader.api.post("/comment/report", {"comment_id": comment["id"], "reason": SHORT})
    author.api.post("/comment/remove", {"comment_id": reply["id"], "removed": True, "reason": SHORT})
    pages = {
        "/": None,
        f"/c/{community['name']}": None,
        f"/post/{post['id']}": None,
        f"/comment/{comment['id']}": None,
        f"/u/{author.name}": None,
        f"/u/{author.name}?view=comments": None,
        "/communities": None,
        "/modlog": None,
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E": None,
        "/search?q=alert&type=All": None,
        "/inbox?view=messages": reader,
        "/reports": admin,
    }
    return {"pages": pages, "post": post}


def test_payloads_render_as_inert_markup(server, hostile):
    for path, member in hostile["pages"].items():
        visitor = Visitor(server.base_url)
        if member is not None:
            visitor.log_in(member.name)
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert page_problems(response.text) == [], path
    page = Visitor(server.base_url).get(f"/post/{hostile['post']['id']}").text
    assert "{{ 7*7 }}" in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.browser
def test_no_payload_runs_in_chromium(server, hostile, browser):
    refused, dialogs = [], []
    for path, member in hostile["pages"].items():
        page = new_page(browser, server.base_url)
        page.add_init_script("window.__xss = 0; window.alert = () => { window.__xss += 1; };")
        page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        if member is not None:
            log_in(page, member.name)
        page.goto(path)
        page.wait_for_load_state("load")
        for details in page.locator("details").all()[:20]:  # open spoilers and expandos: ontoggle would fire here
            if details.is_visible():
                details.evaluate("d => { d.open = true; }")
        page.mouse.move(200, 300)
        assert page.evaluate("window.__xss") == 0, path
        page.context.close()
    assert dialogs == [] and refused == []


def test_markdown_links_are_nofollow_and_images_lazy(server, api):
    author = api.register()
    community = author.community()["community"]
    body = "[site](https://example.org) ![cat](https://img.example/cat.png)"
    post = author.post(community["id"], "Links", body=body)["post"]
    html = Visitor(server.base_url).get(f"/post/{post['id']}").text
    assert '<a href="https://example.org" rel="nofollow ugc noopener">site</a>' in html
    assert '<img src="https://img.example/cat.png" alt="cat" loading="lazy">' in html
