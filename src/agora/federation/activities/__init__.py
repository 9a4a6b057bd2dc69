"""Activities: `receive` turns what other servers send into domain calls; `build` turns our domain events into
activities in Lemmy's shapes. This module reads the envelope every activity shares, strictly where trust depends
on it: an id and an actor on one host, an object."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from agora.federation.objects import reading

MAX_DEPTH = 3  # Announce { Undo { Like } } is as deep as real activities nest


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    type: str
    actor: str
    document: dict
    depth: int = 0

    @property
    def object(self):
        return self.document.get("object")

    def object_url(self, field: str = "object") -> str:
        return reading.url(self.document.get(field), field)

    def inner(self) -> Activity:
        """The activity an Undo or Announce wraps, read with the same checks."""
        value = self.document.get("object")
        if not isinstance(value, dict):
            raise reading.invalid(f"{self.type} wraps no activity")
        return parse(value, depth=self.depth + 1)

    @property
    def summary(self) -> str | None:
        return reading.text(self.document.get("summary"), "summary", max_length=10_000)

    @property
    def reason(self) -> str | None:
        """A moderator's reason (`summary`), within the domain's limit for reasons."""
        return reason_of(self.summary)


def reason_of(text: str | None) -> str | None:
    return text[:1000] if text else None


def actor_of(document: dict) -> str:
    return reading.url(document.get("actor"), "actor")


def parse(document: object, *, depth: int = 0) -> Activity:
    """The envelope of a received activity; AgoraError(invalid_activity) when it cannot be trusted or read."""
    if not isinstance(document, dict):
        raise reading.invalid("an activity is a JSON object")
    if depth > MAX_DEPTH:
        raise reading.invalid("activities nest too deep")
    kind = reading.kind(document)
    actor = actor_of(document)
    ap_id = reading.url(document.get("id"), "id")
    if not reading.same_host(ap_id, actor):
        raise reading.invalid("the activity's id is on another host than its actor")
    if document.get("object") is None:
        raise reading.invalid("the activity has no object")
    activity = Activity(id=ap_id, type=kind, actor=actor, document=document, depth=depth)
    if kind in ("Undo", "Announce") and isinstance(document.get("object"), dict) and "actor" in document["object"]:
        activity.inner()  # read the wrapped activity now, so a bad one is refused at the inbox
    return activity


def new_id(base_url: str, kind: str) -> str:
    return f"{base_url}/activities/{kind.lower()}/{uuid.uuid4()}"
