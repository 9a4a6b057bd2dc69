"""Lenient readers for the fields other servers fill in many ways (a URL or an object with an id, one value or a
list, markdown in `source` or only HTML in `content`), and strict checks where trust depends on them.

Every reader either answers a clean Python value or raises AgoraError(invalid_activity) saying which field is wrong,
so a hostile document is refused with a 4xx and never reaches the database half-read.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TypedDict, overload
from urllib.parse import urlsplit

import markdownify
import nh3
from bs4 import MarkupResemblesLocatorWarning

from agora.errors import AgoraError, Code

# markdownify parses with Beautiful Soup, which warns when a text looks like a URL: a comment that is only a link
# is ordinary here.
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PUBLIC_ALIASES = frozenset({PUBLIC, "as:Public", "Public"})
MAX_URL = 2000
MAX_TEXT = 100_000  # longer texts are refused by the domain's own limits; this only bounds the parser's work


def invalid(message: str) -> AgoraError:
    return AgoraError(Code.invalid_activity, message)


@overload
def url(value: object, field: str = "id", *, required: Literal[True] = True) -> str: ...
@overload
def url(value: object, field: str = "id", *, required: bool) -> str | None: ...


def url(value: object, field: str = "id", *, required: bool = True) -> str | None:
    """An absolute http(s) URL, from a string or an object's `id` (or a Link's `href`)."""
    if isinstance(value, dict):
        value = value.get("id") or value.get("href")
    if isinstance(value, list) and len(value) == 1:
        return url(value[0], field, required=required)
    if value is None or value == "":
        if required:
            raise invalid(f"{field} is missing")
        return None
    if not isinstance(value, str) or len(value) > MAX_URL:
        raise invalid(f"{field} is not a URL")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid(f"{field} is not an http(s) URL")
    try:
        parts.port  # noqa: B018  raises on a malformed port
    except ValueError as error:
        raise invalid(f"{field} has a bad port") from error
    return value


def host(value: str) -> str:
    """host[:port] of a URL, lowercased: what identifies an instance."""
    parts = urlsplit(value)
    name = (parts.hostname or "").lower()
    return f"{name}:{parts.port}" if parts.port else name


def same_host(a: str, b: str) -> bool:
    return host(a) == host(b)


def urls(value: object, field: str = "to") -> list[str]:
    """Addressing fields: a URL or a list of them; entries that are not URLs (e.g. "as:Public") kept as given."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items[:1000]:
        if isinstance(item, dict):
            item = item.get("id")
        if isinstance(item, str) and len(item) <= MAX_URL:
            out.append(item)
    return out


def is_public(document: dict) -> bool:
    return any(a in PUBLIC_ALIASES for a in urls(document.get("to")) + urls(document.get("cc")))


@overload
def text(value: object, field: str, *, required: Literal[True], max_length: int = MAX_TEXT) -> str: ...
@overload
def text(value: object, field: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str | None: ...


def text(value: object, field: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if value is None or value == "":
        if required:
            raise invalid(f"{field} is missing")
        return None
    if not isinstance(value, str):
        raise invalid(f"{field} is not text")
    if len(value) > max_length:
        raise invalid(f"{field} is longer than {max_length} characters")
    return value


def flag(value: object, default: bool = False) -> bool:
    return value if isinstance(value, bool) else default


def when(value: object, field: str = "published") -> datetime | None:
    """An ISO 8601 time in UTC, or None when absent or unreadable (lenient: a bad date never refuses a post)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class Dates(TypedDict):
    published: datetime | None
    updated: datetime | None


def dates(document: dict) -> Dates:
    """The object's `published` and `updated`, each read as `when` reads it."""
    return {"published": when(document.get("published")), "updated": when(document.get("updated"))}


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoteObject:
    """What every object read from another server carries: its id and its `dates`."""

    ap_id: str
    published: datetime | None
    updated: datetime | None


def kind(document: dict, field: str = "type") -> str:
    value = document.get(field)
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, str) or not value or len(value) > 64:
        raise invalid(f"{field} is missing")
    return value


def image_url(value: object) -> str | None:
    """`icon` / `image`: an Image object, a list of them, or a bare URL."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("href")
        if isinstance(value, dict | list):
            return image_url(value)
    try:
        return url(value, "image", required=False)
    except AgoraError:
        return None


def markdown(document: dict, field: str = "content") -> str | None:
    """The markdown Lemmy sends in `source`, else the HTML of `content` (Mastodon) turned into markdown."""
    source = document.get("source")
    if isinstance(source, dict) and source.get("mediaType", "text/markdown") == "text/markdown":
        found = text(source.get("content"), "source")
        if found is not None:
            return found
    html = text(document.get(field), field)
    if html is None:
        content_map = document.get(f"{field}Map")
        if isinstance(content_map, dict) and content_map:
            html = text(next(iter(content_map.values())), field)
    if html is None:
        return None
    return html_to_markdown(html)


def html_to_markdown(html: str) -> str:
    # nh3 first drops scripts, styles and their text; markdownify then keeps structure (links, emphasis, lists).
    clean = nh3.clean(html)
    return markdownify.markdownify(clean, heading_style="ATX", bullets="*").strip()


def language_code(value: object) -> str | None:
    """Lemmy's `language: {identifier, name}`; Mastodon's `contentMap` keys are the other common form."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("identifier")
    if isinstance(value, str) and 0 < len(value) <= 16:
        return value.lower()
    return None


def mentions(document: dict) -> list[str]:
    """Actor URLs of the Mention tags."""
    tags = document.get("tag")
    tags = tags if isinstance(tags, list) else [tags] if isinstance(tags, dict) else []
    out = []
    for tag in tags[:100]:
        if isinstance(tag, dict) and tag.get("type") == "Mention":
            try:
                out.append(url(tag.get("href"), "tag.href"))
            except AgoraError:
                continue
    return out
