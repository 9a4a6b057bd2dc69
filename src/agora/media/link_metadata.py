"""What a link post shows about its page: OpenGraph / meta title, description, image and video embed.

Pages are fetched through the one outbound client (no private addresses, redirects re-checked, size and time caps)
and only their <head> is parsed, with the standard library's tolerant HTML parser.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from agora.errors import AgoraError, Code
from agora.outbound import Outbound, OutboundError

PAGE_MAX_BYTES = 1024 * 1024
TIMEOUT = 10.0
TEXT_MAX = 1000


@dataclass(slots=True)
class LinkMetadata:
    content_type: str | None = None
    title: str | None = None
    description: str | None = None
    image: str | None = None
    embed_video_url: str | None = None

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            values = dict(attrs)
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"].strip()
        elif tag == "title":
            self._in_title = True
        elif tag == "body":
            self.done = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self.done = True

    def handle_data(self, data):
        if self._in_title and not self.done:
            self.title.append(data)


def parse_html(html: str, base_url: str) -> LinkMetadata:
    parser = _HeadParser()
    for start in range(0, len(html), 8192):  # stop feeding once the head is over
        parser.feed(html[start : start + 8192])
        if parser.done:
            break
    meta = parser.meta

    def first(*keys: str) -> str | None:
        for key in keys:
            if meta.get(key):
                return meta[key][:TEXT_MAX]
        return None

    def absolute(value: str | None) -> str | None:
        if not value:
            return None
        url = urljoin(base_url, value)
        return url if url.startswith(("https://", "http://")) else None

    title = first("og:title", "twitter:title") or (" ".join("".join(parser.title).split())[:TEXT_MAX] or None)
    return LinkMetadata(
        content_type="text/html",
        title=title,
        description=first("og:description", "twitter:description", "description"),
        image=absolute(first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")),
        embed_video_url=absolute(first("og:video:secure_url", "og:video:url", "og:video", "twitter:player")),
    )


async def fetch(outbound: Outbound, url: str) -> LinkMetadata:
    """The page's metadata; an image or other non-HTML link answers just its content type."""
    try:
        result = await outbound.get(
            url,
            headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            max_bytes=PAGE_MAX_BYTES,
            timeout=TIMEOUT,
        )
    except OutboundError as error:
        raise AgoraError(Code.site_metadata_page_is_not_doctype_html, f"could not fetch the page: {error}") from error
    if result.status >= 400:
        raise AgoraError(Code.site_metadata_page_is_not_doctype_html, f"the page answered {result.status}")
    if result.content_type not in ("text/html", "application/xhtml+xml"):
        return LinkMetadata(content_type=result.content_type or None)
    charset = result.headers.get("content-type", "").partition("charset=")[2].strip().strip('"') or "utf-8"
    try:
        html = result.content.decode(charset, errors="replace")
    except LookupError:
        html = result.content.decode("utf-8", errors="replace")
    return parse_html(html, result.url)
