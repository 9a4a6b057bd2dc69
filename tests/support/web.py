"""A browser-less web visitor for tests: plain httpx with cookies, reading CSRF tokens out of the pages."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import httpx

from tests.support.client import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class Visitor:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def token(self, path: str = "/login") -> str:
        """The CSRF token forms on `path` carry for this visitor."""
        found = TOKEN.search(self.get(path).text)
        assert found, f"no form with a CSRF token on {path}"
        return found.group(1)

    def submit(
        self, path: str, data: dict | None = None, *, token: str | None = None, page: str = "/login", **kwargs
    ) -> httpx.Response:
        """POST a form the way the page would, its CSRF token included."""
        fields = {"csrf_token": token if token is not None else self.token(page), **(data or {})}
        return self.http.post(path, data=fields, **kwargs)

    def log_in(self, name: str, password: str = PASSWORD) -> Visitor:
        response = self.submit("/login", {"username_or_email": name, "password": password})
        assert response.status_code == 303, response.text
        return self


def text_of(html: str) -> str:
    """The page as a reader sees it: inline tags dropped, the others as spaces, whitespace collapsed."""
    inline = re.sub(r"</?(a|time|span|strong|em|b|i|code)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", inline)))


def page_problems(html: str) -> list[str]:
    """Everything in a page that could run script or load active content, beyond our own /static/agora.js."""
    parser = _Inspector()
    parser.feed(html)
    return parser.problems


_ACTIVE_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "style", "link", "meta"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/agora.js"):
            self.problems.append(f"script {values}")
        if tag in _ACTIVE_TAGS and not _ours(tag, values):
            self.problems.append(f"<{tag}> {values}")
        if tag in ("svg", "math"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            text = re.sub(r"[\s\x00-\x1f]", "", (value or "")).lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in _URL_ATTRIBUTES and not _ours(tag, values) and _active_url(text):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "form" and not (values.get("action") or "").startswith("/"):
            self.problems.append(f"<form action={values.get('action')!r}>")


def _active_url(text: str) -> bool:
    """A URL that runs script or renders a document of its own (the captcha's data:image/png is neither)."""
    return text.startswith(("javascript:", "vbscript:")) or (
        text.startswith("data:") and not text.startswith("data:image/png")
    )


def _ours(tag: str, values: dict) -> bool:
    """The head of our own layout: the stylesheet, the icon and the meta tags."""
    if tag == "link":
        return (values.get("rel") == "stylesheet" and (values.get("href") or "").startswith("/static/")) or (
            values.get("rel") == "icon" and values.get("href") == "data:,"
        )
    return tag == "meta" and set(values) <= {"charset", "name", "content"} and values.get("name") != "refresh"


def make_admin(server, name: str | None = None):
    """tests.support.admin.make_admin, safe to call while Playwright's event loop runs in this thread."""
    from tests.support import admin
    from tests.support.browser import outside_the_page_loop

    return outside_the_page_loop(admin.make_admin, server, name)
