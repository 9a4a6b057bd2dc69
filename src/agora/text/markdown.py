"""Markdown as Lemmy users write it, rendered to safe HTML.

CommonMark with tables, ~~strikethrough~~, ^superscript^, ~subscript~, footnotes, bare-link autolinking,
`::: spoiler title` blocks (rendered as <details>), custom emoji `:shortcode:` as images with their alt text, and
`@name@host` / `!community@host` as links to the local pages for them. Raw HTML in the source is never trusted:
markdown-it escapes it and nh3 sanitizes the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from agora.text import mentions
from agora.text.sanitize import clean_html, plain_text

MAX_SOURCE = 100_000


@dataclass(frozen=True, slots=True)
class Emoji:
    image_url: str
    alt_text: str


# `@name` and `!community` (here), `@name@host` and `!community@host` (anywhere): links to their pages.
_MENTION = re.compile(rf"([@!])({mentions.NAME})(?:@({mentions.HOST}))?(?![\w@])")
_SHORTCODE = re.compile(r":([A-Za-z0-9_+-]{1,64}):")


def _spoiler_render(self, tokens, idx, _options, env):
    token = tokens[idx]
    if token.nesting == 1:
        title = token.info.strip()[len("spoiler") :].strip() or "spoiler"
        return f"<details><summary>{escape(title)}</summary>\n"
    return "</details>\n"


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] not in "@!":
        return False
    if state.pos > 0 and (state.src[state.pos - 1].isalnum() or state.src[state.pos - 1] in "_@/"):
        return False
    match = _MENTION.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        sigil, name, host = match.groups()
        base = state.env.get("base_url", "")
        where = f"{name}@{host}" if host else name
        href = f"{base}/u/{where}" if sigil == "@" else f"{base}/c/{where}"
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        text = state.push("text", "", 0)
        text.content = match.group(0)
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _emoji_rule(state: StateInline, silent: bool) -> bool:
    emojis: Mapping[str, Emoji] = state.env.get("emojis") or {}
    if not emojis or state.src[state.pos] != ":":
        return False
    match = _SHORTCODE.match(state.src, state.pos)
    if not match or match.group(1) not in emojis:
        return False
    if not silent:
        emoji = emojis[match.group(1)]
        token = state.push("image", "img", 0)
        token.attrs = {"src": emoji.image_url, "alt": emoji.alt_text, "title": emoji.alt_text, "class": "emoji"}
        token.children = []
        token.content = emoji.alt_text
    state.pos = match.end()
    return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(superscript_plugin)
        .use(sub_plugin)
        .use(gfm_autolink_plugin)
        .use(container_plugin, name="spoiler", render=_spoiler_render)
    )
    md.inline.ruler.before("link", "agora_mention", _mention_rule)
    md.inline.ruler.before("emphasis", "agora_emoji", _emoji_rule)

    def render_image(self, tokens, idx, options, env):
        token = tokens[idx]
        alt = token.content or self.renderInlineAsText(token.children or [], options, env)
        attrs = dict(token.attrs)
        attrs["alt"] = alt
        return "<img " + " ".join(f'{k}="{escape(str(v))}"' for k, v in attrs.items() if v is not None) + ">"

    md.add_render_rule("image", render_image)
    return md


def render(source: str | None, emojis: Mapping[str, Emoji] | None = None, *, base_url: str = "") -> str:
    """Markdown → sanitized HTML, safe to put in a page as is. With `base_url`, the links it makes (mentions of
    people and communities) are absolute, for HTML read on other servers."""
    if not source:
        return ""
    html = _parser().render(source[:MAX_SOURCE], {"emojis": emojis or {}, "base_url": base_url})
    return clean_html(html)


def render_plain(source: str | None, limit: int = 300) -> str:
    """A plain-text excerpt of rendered markdown (descriptions, previews)."""
    text = plain_text(render(source)).strip()
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
