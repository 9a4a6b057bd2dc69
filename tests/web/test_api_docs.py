"""/api/v3/docs is served whole from this server: its page, Swagger UI's script and stylesheet, under the site's
Content-Security-Policy, and it renders the route list in a browser that may reach nothing but this server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from agora.web.security import CONTENT_SECURITY_POLICY


def _sources(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_docs_page_and_its_assets_come_from_this_server(server):
    page = httpx.get(f"{server.base_url}/api/v3/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert "://" not in page.text  # no CDN, no other host: every URL is a path on this server
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) is None  # no inline script for the CSP to refuse
    sources = [s for s in _sources(page.text) if not s.startswith("data:")]
    assert any("swagger-ui-bundle.js" in s for s in sources) and any("swagger-ui.css" in s for s in sources)
    for source in sources:
        assert source.startswith("/") and not source.startswith("//"), source
        answer = httpx.get(server.base_url + source)
        assert answer.status_code == 200, source
        assert answer.headers["content-type"].split(";")[0] in ("text/javascript", "text/css", "application/json")
    assert httpx.get(f"{server.base_url}/static/swagger-ui/index.html").status_code == 404  # only what the page uses
    assert httpx.get(f"{server.base_url}/static/swagger-ui/..%2Fswagger-ui.css").status_code == 404


@pytest.mark.browser
def test_swagger_ui_lists_the_routes_with_every_other_host_unreachable(pages, server):
    page = pages()
    own = urlsplit(server.base_url).netloc
    elsewhere: list[str] = []
    refused: list[str] = []

    def only_this_server(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.on("console", lambda message: refused.append(message.text) if "Security Policy" in message.text else None)
    page.goto("/api/v3/docs")
    # A 1.5 MB script and the whole OpenAPI document: give a busy machine time to parse both.
    expect(page.locator(".opblock-summary-path", has_text="/api/v3/post/list").first).to_be_visible(timeout=60_000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 100  # the whole API, not an error box
    assert elsewhere == [] and refused == []


@pytest.mark.browser
def test_without_javascript_the_docs_point_to_the_openapi_document(pages):
    page = pages(javascript=False)
    page.goto("/api/v3/docs")
    link = page.get_by_role("link", name="/api/v3/openapi.json")
    expect(link).to_be_visible()
    assert link.get_attribute("href") == "/api/v3/openapi.json"
