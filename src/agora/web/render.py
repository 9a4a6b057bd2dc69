"""The Jinja environment of the web UI and the filters templates use.

Autoescaping is on for every template; the only HTML that reaches a page unescaped is markdown rendered by
`agora.text.markdown` (sanitized by nh3) and our own partials.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from agora.domain import limits
from agora.text import markdown
from agora.web import labels

WEB = Path(str(resources.files("agora.web")))
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"


MINUTE, HOUR, DAY = 60, 3600, 86400
# (below how many seconds, the unit counted or 0 for none, the word): lemmy-ui's steps, as moment.js rounds them
_AGO: tuple[tuple[float, float, str], ...] = (
    (45, 0, "a few seconds"),
    (90, 0, "a minute"),
    (45 * MINUTE, MINUTE, "minutes"),
    (90 * MINUTE, 0, "an hour"),
    (22 * HOUR, HOUR, "hours"),
    (36 * HOUR, 0, "a day"),
    (26 * DAY, DAY, "days"),
    (45 * DAY, 0, "a month"),
    (320 * DAY, 30.4 * DAY, "months"),
    (548 * DAY, 0, "a year"),
    (float("inf"), 365.25 * DAY, "years"),
)


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """Relative time in the words lemmy-ui uses: "a few seconds ago", "2 months ago", "4 years ago"."""
    if when is None:
        return ""
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    unit, word = next((unit, word) for below, unit, word in _AGO if seconds < below)
    words = f"{max(2, round(seconds / unit))} {word}" if unit else word
    return f"in {words}" if future else f"{words} ago"


def exact(when: datetime | None) -> str:
    if when is None:
        return ""
    utc = when.astimezone(UTC)
    return f"{utc:%A, %B} {utc.day}, {utc:%Y at %H:%M} UTC"


def when(moment: datetime | None) -> Markup:
    """A <time> with the relative time as text and the exact date on hover."""
    if moment is None:
        return Markup("")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        moment.astimezone(UTC).isoformat(timespec="seconds"), exact(moment), ago(moment)
    )


def host(actor_id: str | None) -> str:
    """The server an actor lives on, from its URL (`https://lemmy.ml/u/x` → lemmy.ml)."""
    return urlsplit(actor_id or "").netloc


def domain(url: str | None) -> str:
    netloc = urlsplit(url or "").netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")


def is_image(url: str | None, content_type: str | None = None) -> bool:
    """A link to a picture, known by its fetched content type or, before the preview is fetched, its name."""
    if (content_type or "").startswith("image/"):
        return True
    return urlsplit(url or "").path.lower().endswith(IMAGE_SUFFIXES)


def markdown_html(source: str | None, emojis: Mapping[str, markdown.Emoji] | None = None) -> Markup:
    return Markup(markdown.render(source, emojis))


def query(base: Mapping[str, object], **changes: object) -> str:
    """A query string from the current parameters with some changed (None drops one)."""
    merged = {**base, **changes}
    return urlencode({k: v for k, v in merged.items() if v is not None and v != ""})


@lru_cache(maxsize=8)
def asset_version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def asset(name: str) -> str:
    return f"/static/{name}?v={asset_version(name)}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(ago=ago, exact=exact, when=when, host=host, domain=domain)
    env.tests.update(image=is_image)
    env.globals.update(asset=asset, query=query, limits=limits, human=labels.human, post_sorts=labels.POST_SORTS)
    return env


ENV = _environment()


def render(template: str, values: Mapping[str, object]) -> str:
    return ENV.get_template(template).render(values)


def load_templates() -> None:
    """Compile every template now rather than at its first page: `agora serve --workers N` calls it before it
    forks the workers, which then share the compiled templates instead of compiling ~9 MiB of them each."""
    for name in ENV.list_templates():
        ENV.get_template(name)
