"""The HTML allowed in rendered user content, enforced by nh3 (ammonia): no scripts, no event handlers, no styles,
http(s)/mailto links only, every link `rel="nofollow ugc noopener"`, every image lazy-loaded."""

from __future__ import annotations

import nh3

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "details",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"align"},
    "td": {"align"},
}
# Classes are allowed per tag here, never as a free attribute (ammonia's rule).
ALLOWED_CLASSES = {
    "img": {"emoji"},
    "code": {
        f"language-{lang}"
        for lang in (
            "python",
            "rust",
            "js",
            "javascript",
            "ts",
            "bash",
            "sh",
            "json",
            "html",
            "css",
            "sql",
            "go",
            "c",
            "cpp",
            "java",
            "text",
            "diff",
        )
    },
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "span": {"spoiler", "mention"},
}
URL_SCHEMES = {"http", "https", "mailto", "magnet"}


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        attributes=ATTRIBUTES,
        link_rel="nofollow ugc noopener",
        url_schemes=URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
    )


def plain_text(html: str) -> str:
    """Text with every tag removed (for titles, summaries, feeds)."""
    return nh3.clean(html, tags=set())
