"""Polls on the wire, as Mastodon, PieFed and Agora write them.

A poll is a `Question`: the post's fields, with its choices as Notes with a `name` and `replies.totalItems` (the
count) under `oneOf` (one choice a person) or `anyOf` (several), `endTime`, `votersCount`, and `closed` once over.
Mastodon shows a Question's `content`, never its `name`, so ours lead their content with the title (PieFed does
the same and sends no `name`).

A vote is a `Note` whose `name` is the choice, `inReplyTo` the Question, sent in a Create to the poll's author
(Mastodon's shape; PieFed takes it too). It has no `content` and no `published`: PieFed tells a vote from a reply
by the missing `published`. PieFed's own voters send `PollVote {object: the Question, choice_text}` to the
poll's community, which announces it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agora.domain.limits import POLL_CHOICE_MAX, POLL_CHOICES_MAX
from agora.federation.objects import iso, reading
from agora.queries.polls import PollItem


@dataclass(frozen=True, slots=True)
class RemotePoll:
    choices: list[str]
    counts: list[int]
    multiple: bool
    end_time: datetime | None
    voters: int | None


def question(page: dict, poll: PollItem, title: str) -> dict:
    """Our Page document of a post turned into its Question."""
    document = {**page, "type": "Question"}
    document["content"] = f"<p>{html.escape(title)}</p>{page.get('content') or ''}"
    document["oneOf" if not poll.multiple else "anyOf"] = [
        {"type": "Note", "name": c.name, "replies": {"type": "Collection", "totalItems": c.votes}} for c in poll.choices
    ]
    document["votersCount"] = poll.voters
    if poll.end_time is not None:
        document["endTime"] = iso(poll.end_time)
        if poll.ended:
            document["closed"] = iso(poll.end_time)
    return document


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def parse(document: dict) -> RemotePoll | None:
    """The poll of a Question; None when it is not one, or names fewer than two usable choices (the post is
    still taken, as a text post)."""
    if reading.kind(document) != "Question":
        return None
    multiple = isinstance(document.get("anyOf"), list) and not isinstance(document.get("oneOf"), list)
    items = document.get("anyOf" if multiple else "oneOf")
    names: list[str] = []
    counts: list[int] = []
    for item in items[: POLL_CHOICES_MAX * 5] if isinstance(items, list) else []:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            continue
        name = " ".join(name.split())[:POLL_CHOICE_MAX]
        if not name or name in names:
            continue
        replies = item.get("replies")
        names.append(name)
        counts.append((_count(replies.get("totalItems")) or 0) if isinstance(replies, dict) else 0)
        if len(names) == POLL_CHOICES_MAX:
            break
    if len(names) < 2:
        return None
    end = reading.when(document.get("endTime"))
    closed = reading.when(document.get("closed"))
    if closed is not None and (end is None or closed < end):
        end = closed
    return RemotePoll(names, counts, multiple, end, _count(document.get("votersCount")))


_LEADING_PARAGRAPH = re.compile(r"^\s*<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def without_title(document: dict, title: str) -> dict:
    """A Question leads its content with its title (ours, PieFed's, Mastodon's whole text): the post's body is
    what follows. The document is answered unchanged when its markdown `source` or its first paragraph differ."""
    content = document.get("content")
    if not isinstance(content, str) or isinstance(document.get("source"), dict):
        return document
    match = _LEADING_PARAGRAPH.match(content)
    if match is None or " ".join(html.unescape(_TAG.sub("", match.group(1))).split()) != title:
        return document
    return {**document, "content": content[match.end() :]}


def is_vote(document: dict[str, Any]) -> bool:
    """A Note that names a choice and answers something, with no text of its own: a vote, not a comment."""
    return (
        isinstance(document, dict)
        and document.get("type") == "Note"
        and isinstance(document.get("name"), str)
        and bool(document.get("inReplyTo"))
        and not document.get("content")
    )


def vote_note(note_id: str, voter: str, poll_url: str, poll_author: str, choice: str) -> dict:
    return {
        "id": note_id,
        "type": "Note",
        "name": choice,
        "attributedTo": voter,
        "to": [poll_author],
        "inReplyTo": poll_url,
    }
