"""Note objects (comments): ours in Lemmy's shape, with Mention tags; remote replies read leniently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agora.federation.objects import CONTEXT, PUBLIC, compact, dates, language, origin, private, reading, source
from agora.federation.objects.page import community_candidates
from agora.text.markdown import render


def note(
    comment: dict,
    creator: dict,
    post: dict,
    community: dict,
    parent_url: str | None,
    parent_creator: dict | None,
    language_row: dict | None,
    mentions: Sequence[tuple[str, str]] = (),
) -> dict:
    """`parent_creator`: the author of what it answers (the post's for a top-level comment); `mentions` are
    (actor URL, "@name@host") of the people the comment names. All are cc'd and tagged as mentioned: Lemmy tags
    the author replied to, and PieFed notifies only people a Mention tag names."""
    community_url = community["actor_id"]
    if parent_creator is not None and parent_creator["actor_id"] != creator["actor_id"]:
        url = parent_creator["actor_id"]
        mentions = [(url, f"@{parent_creator['name']}@{reading.host(url)}"), *(m for m in mentions if m[0] != url)]
    cc = [community_url] + ([parent_creator["actor_id"]] if parent_creator else [])
    cc += [actor for actor, _ in mentions if actor not in cc]
    return compact(
        {
            "@context": CONTEXT,
            "id": comment["ap_id"],
            "type": "Note",
            "attributedTo": creator["actor_id"],
            "to": [f"{community_url}/followers"] if private(community) else [PUBLIC],
            "cc": cc,
            "audience": community_url,
            "inReplyTo": parent_url or post["ap_id"],
            "content": render(comment["content"], base_url=origin(comment["ap_id"])),
            "mediaType": "text/html",
            "source": source(comment["content"]),
            "tag": [{"href": actor, "type": "Mention", "name": name} for actor, name in mentions] or None,
            "distinguished": bool(comment.get("distinguished")),
            "language": language(language_row),
            **dates(comment),
        }
    )


@dataclass(frozen=True, slots=True)
class RemoteNote(reading.RemoteObject):
    creator: str
    in_reply_to: str
    community_candidates: list[str]
    content: str
    distinguished: bool
    language: str | None
    mentions: list[str]


def is_comment(document: dict) -> bool:
    """A Note that answers something is a comment; one that starts a thread is a post, one to people a message."""
    return document.get("type") == "Note" and bool(document.get("inReplyTo"))


def parse(document: dict) -> RemoteNote:
    if reading.kind(document) not in ("Note", "Article"):
        raise reading.invalid(f"a {reading.kind(document)} is not a comment")
    content = reading.markdown(document)
    if not content:
        raise reading.invalid("the comment has no content")
    content_map = document.get("contentMap")
    return RemoteNote(
        ap_id=reading.url(document.get("id")),
        creator=reading.url(document.get("attributedTo"), "attributedTo"),
        in_reply_to=reading.url(document.get("inReplyTo"), "inReplyTo"),
        community_candidates=community_candidates(document),
        content=content,
        distinguished=reading.flag(document.get("distinguished")),
        language=reading.language_code(document.get("language"))
        or (next(iter(content_map), None) if isinstance(content_map, dict) else None),
        mentions=reading.mentions(document),
        **reading.dates(document),
    )
