"""Page (post) and Note (comment) objects."""

from __future__ import annotations

from agora.federation.objects import CONTEXT, PUBLIC, compact, image, iso, source
from agora.text.markdown import render


def _language(language: dict | None) -> dict | None:
    if not language or language.get("code") in (None, "und"):
        return None
    return {"identifier": language["code"], "name": language["name"]}


def page(post: dict, creator: dict, community: dict, language: dict | None) -> dict:
    community_url = community["actor_id"]
    return compact({
        "@context": CONTEXT,
        "id": post["ap_id"],
        "type": "Page",
        "attributedTo": creator["actor_id"],
        "to": [community_url, PUBLIC],
        "cc": [],
        "audience": community_url,
        "name": post["name"],
        "content": render(post["body"]) if post.get("body") else None,
        "mediaType": "text/html",
        "source": source(post.get("body")),
        "attachment": [{"type": "Link", "href": post["url"]}] if post.get("url") else [],
        "image": image(post.get("thumbnail_url")),
        "sensitive": bool(post.get("nsfw")),
        "commentsEnabled": not post.get("locked"),
        "stickied": bool(post.get("featured_community")),
        "language": _language(language),
        "published": iso(post["published"]),
        "updated": iso(post.get("updated")),
    })  # fmt: skip


def note(comment: dict, creator: dict, post: dict, community: dict, parent_url: str | None,
         parent_creator_url: str | None, language: dict | None) -> dict:  # fmt: skip
    community_url = community["actor_id"]
    cc = [community_url] + ([parent_creator_url] if parent_creator_url else [])
    return compact({
        "@context": CONTEXT,
        "id": comment["ap_id"],
        "type": "Note",
        "attributedTo": creator["actor_id"],
        "to": [PUBLIC],
        "cc": cc,
        "audience": community_url,
        "inReplyTo": parent_url or post["ap_id"],
        "content": render(comment["content"]),
        "mediaType": "text/html",
        "source": source(comment["content"]),
        "distinguished": bool(comment.get("distinguished")),
        "language": _language(language),
        "published": iso(comment["published"]),
        "updated": iso(comment.get("updated")),
    })  # fmt: skip
