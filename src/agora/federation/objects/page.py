"""Page objects (posts): ours in Lemmy's shape; remote Page, Article, Video, Event, and a Mastodon Note that starts
a thread in a community, read as posts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agora.errors import AgoraError
from agora.federation.objects import (
    CONTEXT,
    addressed,
    compact,
    dates,
    image,
    language,
    origin,
    question,
    reading,
    source,
    tags,
)
from agora.text.markdown import render

PAGE_TYPES = frozenset({"Page", "Article", "Video", "Event", "Note", "Question"})
TITLE_MAX = 200


def page(
    post: dict, creator: dict, community: dict, language_row: dict | None, tag_rows: list[dict] | None = None
) -> dict:
    """`tag_rows`: the community tags the post carries (Lemmy 1.0)."""
    community_url = community["actor_id"]
    return compact(
        {
            "@context": CONTEXT,
            "id": post["ap_id"],
            "type": "Page",
            "attributedTo": creator["actor_id"],
            "to": addressed(community),
            "cc": [],
            "audience": community_url,
            "name": post["name"],
            "content": render(post["body"], base_url=origin(post["ap_id"])) if post.get("body") else None,
            "mediaType": "text/html",
            "source": source(post.get("body")),
            "attachment": [{"type": "Link", "href": post["url"]}] if post.get("url") else [],
            "image": image(post.get("thumbnail_url")),
            "sensitive": bool(post.get("nsfw")),
            "commentsEnabled": not post.get("locked"),
            "replies": f"{post['ap_id']}/replies",
            "stickied": bool(post.get("featured_community")),
            "language": language(language_row),
            "tag": [tags.tag(t) for t in tag_rows or []] or None,
            **dates(post),
        }
    )


@dataclass(frozen=True, slots=True)
class RemotePage(reading.RemoteObject):
    creator: str
    community_candidates: list[str]
    name: str
    body: str | None
    url: str | None
    thumbnail: str | None
    alt_text: str | None
    nsfw: bool
    locked: bool | None
    featured: bool | None
    language: str | None
    poll: question.RemotePoll | None = None
    tag_ids: tuple[str, ...] = ()  # the community tags it carries


def community_candidates(document: dict) -> list[str]:
    """Where a post or comment says it belongs: `audience` first (Lemmy), then its addressing. Followers
    collections and the public address are never communities; the receiver checks which one is a Group."""
    out: list[str] = []
    for value in [document.get("audience"), *reading.urls(document.get("to")), *reading.urls(document.get("cc"))]:
        try:
            found = reading.url(value, "audience", required=False)
        except AgoraError:
            continue
        if found and found not in out and found not in reading.PUBLIC_ALIASES and not found.endswith("/followers"):
            out.append(found)
    return out


def _attachments(document: dict) -> tuple[str | None, str | None, str | None]:
    """(link, image, alt text) from `attachment`: a Link is the post's URL, an Image its picture."""
    attachments = document.get("attachment")
    attachments = attachments if isinstance(attachments, list) else [attachments] if attachments else []
    link = picture = alt = None
    for item in attachments[:20]:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "Link" and link is None:
            link = reading.url(item.get("href"), "attachment.href", required=False)
        elif item.get("type") in ("Image", "Document") and picture is None:
            picture = reading.image_url(item)
            alt = reading.text(item.get("name"), "attachment.name", max_length=1500)
    if link is None and picture is not None:
        link, picture = picture, None  # an image post: the image is the link, as Lemmy stores it
    return link, picture, alt


_TAG = re.compile(r"<[^>]+>")


def _title_from_text(document: dict) -> str:
    """A Mastodon thread opener has no title: Lemmy takes its first line, and so do we."""
    summary = reading.text(document.get("summary"), "summary", max_length=10_000)
    if summary:
        return summary.strip().split("\n", 1)[0][:TITLE_MAX]
    html = reading.text(document.get("content"), "content") or ""
    paragraphs = [p for p in re.split(r"</p>|<br\s*/?>", html) if _TAG.sub("", p).strip()]
    first = paragraphs[0] if paragraphs else ""
    first = re.sub(r'<span class="h-card"[^>]*>.*?</a>\s*</span>', "", first)  # the leading @community mention
    words = _TAG.sub("", first).strip() or _TAG.sub("", html).strip()
    return reading.html_to_markdown(words).split("\n", 1)[0][:TITLE_MAX].strip()


def parse(document: dict) -> RemotePage:
    kind = reading.kind(document)
    if kind not in PAGE_TYPES:
        raise reading.invalid(f"a {kind} is not a post")
    ap_id = reading.url(document.get("id"))
    creator = reading.url(document.get("attributedTo"), "attributedTo")
    name = reading.text(document.get("name"), "name", max_length=10_000)
    if kind == "Note" or not name:
        name = _title_from_text(document)
    name = " ".join(name.split())
    if len(name) > TITLE_MAX:
        name = name[: TITLE_MAX - 1] + "…"
    if kind == "Question":
        document = question.without_title(document, name)
    link, picture, alt = _attachments(document)
    comments_enabled = document.get("commentsEnabled")
    stickied = document.get("stickied")
    return RemotePage(
        ap_id=ap_id,
        creator=creator,
        community_candidates=community_candidates(document),
        name=name,
        body=reading.markdown(document),
        url=link,
        thumbnail=picture or reading.image_url(document.get("image")),
        alt_text=alt,
        nsfw=reading.flag(document.get("sensitive")),
        locked=(not comments_enabled) if isinstance(comments_enabled, bool) else None,
        featured=stickied if isinstance(stickied, bool) else None,
        language=reading.language_code(document.get("language"))
        or (next(iter(document["contentMap"]), None) if isinstance(document.get("contentMap"), dict) else None),
        **reading.dates(document),
        poll=question.parse(document),
        tag_ids=tuple(tags.carried(document)),
    )
