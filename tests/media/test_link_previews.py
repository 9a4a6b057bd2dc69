"""Link posts get their page's title, description, embed and a locally stored thumbnail, without waiting;
private addresses are never fetched unless the debug setting allows them (as in these tests' first half)."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from PIL import Image

from tests.support.images import SECRET, animation, frame_count, gif, metadata_blocks, stored_files, upload
from tests.support.s3 import running_s3

PAGE = b"""<!doctype html><html><head><title>Fallback title</title>
<meta property="og:title" content="Ducks &amp; geese">
<meta property="og:description" content="All about waterfowl">
<meta property="og:image" content="/duck.png">
<meta property="og:video" content="https://video.example.org/embed/1">
</head><body><meta property="og:title" content="not in the head"></body></html>"""
BOMB_PAGE = b"""<!doctype html><html><head><title>Innocent</title>
<meta property="og:image" content="/bomb.gif"></head><body></body></html>"""


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


class _Site(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        status, kind, body, extra = self.routes.get(self.path, (404, "text/plain", b"no", {}))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _Site.routes = {
        "/article": (200, "text/html; charset=utf-8", PAGE, {}),
        "/duck.png": (200, "image/png", _png(), {}),
        "/moved": (302, "text/plain", b"", {"Location": "/article"}),
        "/picture.png": (200, "image/png", _png(), {}),
        "/bomb-page": (200, "text/html", BOMB_PAGE, {}),
        "/bomb.gif": (200, "image/gif", gif((6000, 6000), 4), {}),
        "/wide.gif": (200, "image/gif", animation((5000, 200), 4, comment=SECRET), {}),
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()


def _wait_for(api, post_id, field, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        post = api.get("/post", id=post_id)["post_view"]["post"]
        if post.get(field):
            return post
        time.sleep(0.2)
    raise AssertionError(f"{field} never appeared on post {post_id}")


def test_link_post_gets_metadata_and_a_local_thumbnail(server_factory, site):
    server = server_factory(federation_debug=True)
    member = server.api().register()
    community = member.community()["community"]["id"]
    created = member.post(community, name="A link", url=f"{site}/article")
    assert "embed_title" not in created["post"]  # the answer did not wait for the site
    post = _wait_for(member.api, created["post"]["id"], "thumbnail_url")
    assert post["embed_title"] == "Ducks & geese" and post["embed_description"] == "All about waterfowl"
    assert post["embed_video_url"] == "https://video.example.org/embed/1"
    assert post["url_content_type"] == "text/html"
    assert post["thumbnail_url"].startswith(f"{server.base_url}/pictrs/image/")
    thumb = httpx.get(post["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/png"


def test_with_media_in_a_bucket_the_thumbnail_is_kept_there(server_factory, site):
    with running_s3() as s3:
        bucket = s3.new_bucket()
        server = server_factory(federation_debug=True, **s3.settings(bucket, prefix="previews"))
        member = server.api().register()
        community = member.community()["community"]["id"]
        created = member.post(community, name="A link", url=f"{site}/article")
        thumbnail_url = _wait_for(member.api, created["post"]["id"], "thumbnail_url")["thumbnail_url"]
        name = thumbnail_url.rsplit("/", 1)[1]
        assert f"previews/{name}" in s3.keys(bucket) and stored_files(server) == []
        assert httpx.get(thumbnail_url).content == s3.body(bucket, f"previews/{name}")[0]


def test_image_link_is_its_own_thumbnail_and_redirects_are_followed(server_factory, site):
    server = server_factory(federation_debug=True)
    member = server.api().register()
    community = member.community()["community"]["id"]
    image_post = member.post(community, name="A picture", url=f"{site}/picture.png")["post"]["id"]
    assert _wait_for(member.api, image_post, "thumbnail_url")["url_content_type"] == "image/png"
    metadata = member.api.get("/post/site_metadata", url=f"{site}/moved")["metadata"]
    assert metadata["title"] == "Ducks & geese" and metadata["image"] == f"{site}/duck.png"


def test_private_addresses_are_not_fetched_without_the_debug_setting(server, site):
    member = server.api().register()
    status, error = member.api.error("GET", "/post/site_metadata", url=f"{site}/article")
    assert status == 400 and error == "site_metadata_page_is_not_doctype_html"
    for url in ("http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://localhost/", "file:///etc/passwd"):
        assert member.api.request("GET", "/post/site_metadata", url=url).status_code == 400
    community = member.community()["community"]["id"]
    post = member.post(community, name="Private link", url=f"{site}/article")["post"]["id"]
    time.sleep(1.0)
    assert "thumbnail_url" not in member.api.get("/post", id=post)["post_view"]["post"]


def test_a_page_image_past_the_limits_is_refused_quickly_and_the_post_keeps_its_text(server_factory, site):
    server = server_factory(federation_debug=True)
    member = server.api().register()
    community = member.community()["community"]["id"]
    start = time.monotonic()
    created = member.post(community, name="Bomb", url=f"{site}/bomb-page")
    post = _wait_for(member.api, created["post"]["id"], "embed_title")
    assert time.monotonic() - start < 5.0
    assert post["embed_title"] == "Innocent" and "thumbnail_url" not in post
    assert stored_files(server) == []


def test_an_image_link_thumbnail_is_scaled_and_stripped_like_an_upload(server_factory, site):
    server = server_factory(federation_debug=True)
    member = server.api().register()
    community = member.community()["community"]["id"]
    created = member.post(community, name="Wide", url=f"{site}/wide.gif")
    stored = httpx.get(_wait_for(member.api, created["post"]["id"], "thumbnail_url")["thumbnail_url"]).content
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "GIF" and image.size == (4096, 164)
    assert frame_count(stored) == 4
    assert metadata_blocks(stored) == [] and SECRET not in stored


def test_a_custom_thumbnail_wins_on_a_link_post_but_not_on_an_image_post(server_factory, site):
    """Lemmy's image.spec "Make regular post, and give it a custom thumbnail" and "Create an image post, and make
    sure a custom thumbnail doesn't overwrite it", with pages and images served here instead of the internet."""
    server = server_factory(federation_debug=True)
    member = server.api().register()
    community = member.community()["community"]["id"]
    custom = f"{server.base_url}/pictrs/image/{upload(server, member.token, _png()).json()['files'][0]['file']}"
    link = member.post(community, name="Ducks", url=f"{site}/article", custom_thumbnail=custom)["post"]["id"]
    post = _wait_for(member.api, link, "embed_title")
    assert post["url"] == f"{site}/article" and post["thumbnail_url"] == custom
    image = member.post(community, name="A picture", url=f"{site}/picture.png", custom_thumbnail=custom)["post"]["id"]
    post = _wait_for(member.api, image, "url_content_type")
    assert post["url"] == f"{site}/picture.png"
    assert post["thumbnail_url"] != custom and post["thumbnail_url"].startswith(f"{server.base_url}/pictrs/image/")


def test_a_post_of_an_image_uploaded_here_uses_its_thumbnail_without_fetching_it(server, api):
    """Lemmy's image.spec "No image proxying if setting is disabled": the link and the body stay as written; Agora
    never rewrites image links, and takes the thumbnail of its own upload without a request to itself (which the
    outbound client would refuse here: a private address)."""
    member = api.register()
    community = member.community()["community"]["id"]
    uploaded = upload(server, member.token, _png()).json()["files"][0]["file"]
    url = f"{server.base_url}/pictrs/image/{uploaded}"
    body = "![](https://images.example.org/sample.jpg)"
    created = member.post(community, name="Mine", url=url, body=body, alt_text="blue")["post"]
    post = _wait_for(member.api, created["id"], "thumbnail_url")
    assert (post["url"], post["body"], post["alt_text"]) == (url, body, "blue")
    assert post["url_content_type"] == "image/png"
    assert post["thumbnail_url"] == url.replace(".png", "-thumb.webp")
    assert httpx.get(post["thumbnail_url"]).status_code == 200


def test_a_link_post_from_another_server_reads_its_page_here(server_factory, site):
    """Lemmy's receivers read a link's page themselves (a Page carries no title or description of its link)."""
    import uuid

    from tests.federation.conftest import FAST, settle
    from tests.federation.peer import Peer
    from tests.support.admin import make_admin

    server = server_factory(**FAST)
    admin = make_admin(server)
    community = admin.community("links")["community"]
    peer = Peer().start()
    try:
        author = peer.person("poster")["id"]
        page = {
            "id": peer.url("/post/1"),
            "type": "Page",
            "attributedTo": author,
            "name": "Remote link",
            "to": [community["actor_id"], "https://www.w3.org/ns/activitystreams#Public"],
            "audience": community["actor_id"],
            "attachment": [{"type": "Link", "href": f"{site}/article"}],
        }
        create = {
            "id": peer.url(f"/activities/create/{uuid.uuid4()}"),
            "type": "Create",
            "actor": author,
            "object": page,
            "to": page["to"],
        }
        assert peer.send(f"{server.base_url}/inbox", create).status_code == 202
        assert settle(server)[create["id"]] == ("applied", None)
        post_id = admin.api.get("/resolve_object", q=page["id"])["post"]["post"]["id"]
        post = _wait_for(admin.api, post_id, "thumbnail_url")
        assert post["embed_title"] == "Ducks & geese" and not post["local"]
    finally:
        peer.stop()
