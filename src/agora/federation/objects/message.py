"""Private messages: ChatMessage as Lemmy 0.19 sends it (Lemmy 1.0 sends a Note addressed only to people)."""

from __future__ import annotations

from dataclasses import dataclass

from agora.federation.objects import CONTEXT, compact, dates, origin, reading, source
from agora.text.markdown import render


def chat_message(message: dict, creator: dict, recipient: dict) -> dict:
    return compact(
        {
            "@context": CONTEXT,
            "id": message["ap_id"],
            "type": "ChatMessage",
            "attributedTo": creator["actor_id"],
            "to": [recipient["actor_id"]],
            "content": render(message["content"], base_url=origin(message["ap_id"])),
            "mediaType": "text/html",
            "source": source(message["content"]),
            **dates(message),
        }
    )


@dataclass(frozen=True, slots=True)
class RemoteMessage(reading.RemoteObject):
    creator: str
    recipients: list[str]
    content: str


def is_message(document: dict) -> bool:
    """A ChatMessage, or a Note that is neither public nor a reply (Lemmy 1.0's private messages)."""
    if document.get("type") == "ChatMessage":
        return True
    return document.get("type") == "Note" and not document.get("inReplyTo") and not reading.is_public(document)


def parse(document: dict) -> RemoteMessage:
    if not is_message(document):
        raise reading.invalid("not a private message")
    content = reading.markdown(document)
    if not content:
        raise reading.invalid("the message has no content")
    recipients = [r for r in reading.urls(document.get("to")) if r not in reading.PUBLIC_ALIASES]
    if not recipients:
        raise reading.invalid("the message has no recipient")
    return RemoteMessage(
        ap_id=reading.url(document.get("id")),
        creator=reading.url(document.get("attributedTo"), "attributedTo"),
        recipients=recipients,
        content=content,
        **reading.dates(document),
    )
