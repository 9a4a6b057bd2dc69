"""Domain events: what a write changed, recorded in the write's own transaction.

A domain function calls `await record(session, SomethingHappened(...))`. Subscribers registered by `app.py`
(federation outbox, notifications, search index) run right there, on the same session, and only write rows, so
one commit both saves the change and everything that follows from it; a crash loses neither or both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

# A subscriber takes the event type it subscribed to (or a base of it): `record` calls it with such events only.
_subscribers: dict[type[Event], list[Callable[[AsyncSession, Any], Awaitable[None]]]] = defaultdict(list)


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event; `actor_id` is the person who acted (None for the system)."""

    actor_id: int | None


E = TypeVar("E", bound=Event)


def subscribe(event_type: type[E], subscriber: Callable[[AsyncSession, E], Awaitable[None]]) -> None:
    if subscriber not in _subscribers[event_type]:
        _subscribers[event_type].append(subscriber)


def clear_subscribers() -> None:
    _subscribers.clear()


async def record(session: AsyncSession, event: Event) -> None:
    for event_type in type(event).__mro__:
        for subscriber in _subscribers.get(event_type, ()):
            await subscriber(session, event)


# --- accounts and site -------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PersonRegistered(Event):
    person_id: int


@dataclass(frozen=True, slots=True)
class PersonUpdated(Event):
    person_id: int


@dataclass(frozen=True, slots=True)
class PersonDeleted(Event):
    person_id: int
    delete_content: bool


@dataclass(frozen=True, slots=True)
class PersonMoved(Event):
    """Our member moved to `target_id` (a person we hold, here or remote); `carried`: what is the member's
    (follows, saves, blocks by ActivityPub id, as a settings backup lists them), for the new account's server."""

    person_id: int
    target_id: int
    carried: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SiteUpdated(Event):
    site_id: int


# --- communities ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CommunityCreated(Event):
    community_id: int


@dataclass(frozen=True, slots=True)
class CommunityUpdated(Event):
    community_id: int


@dataclass(frozen=True, slots=True)
class CommunityDeleted(Event):
    community_id: int
    deleted: bool


@dataclass(frozen=True, slots=True)
class CommunityFollowed(Event):
    community_id: int
    person_id: int
    follow: bool


@dataclass(frozen=True, slots=True)
class CommunityMoved(Event):
    """Our community moved to `target_id` (a community we hold); `moderators`: its moderators' ActivityPub ids,
    for the new community's server."""

    community_id: int
    target_id: int
    moderators: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MultiCommunityFollowed(Event):
    """A person follows (or leaves) a multi-community; a member's follow of another server's one waits for the
    Accept of its Feed."""

    multi_community_id: int
    person_id: int
    follow: bool


@dataclass(frozen=True, slots=True)
class MultiCommunityChanged(Event):
    """A multi-community's texts or entries changed (its Feed's followers elsewhere are told)."""

    multi_community_id: int


@dataclass(frozen=True, slots=True)
class PendingFollowDecided(Event):
    """A moderator approved or denied a follow of a Private community of ours."""

    community_id: int
    person_id: int
    approved: bool


@dataclass(frozen=True, slots=True)
class ModeratorChanged(Event):
    community_id: int
    person_id: int
    added: bool


# --- posts and comments --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PostCreated(Event):
    post_id: int


@dataclass(frozen=True, slots=True)
class PostUpdated(Event):
    post_id: int


@dataclass(frozen=True, slots=True)
class PostDeleted(Event):
    post_id: int
    deleted: bool


@dataclass(frozen=True, slots=True)
class CommentCreated(Event):
    """`notified`: the local users the write itself notified, when it wrote every notification the comment
    brings (domain.comment_inserts; None: the notification subscriber writes them). `elsewhere`: whether another
    server could hear of the comment, when the write read it (None: not known)."""

    comment_id: int
    notified: tuple[int, ...] | None = field(default=None)
    elsewhere: bool | None = field(default=None)


@dataclass(frozen=True, slots=True)
class CommentUpdated(Event):
    comment_id: int


@dataclass(frozen=True, slots=True)
class CommentDeleted(Event):
    comment_id: int
    deleted: bool


@dataclass(frozen=True, slots=True)
class VoteCast(Event):
    """`target` is "post" or "comment"; score 0 withdraws the previous vote `previous`. `elsewhere`: whether
    another server could hear of the vote, when the write read it with the target (None: not known)."""

    target: str
    target_id: int
    score: int
    previous: int
    at: datetime | None = field(default=None)
    elsewhere: bool | None = field(default=None)


@dataclass(frozen=True, slots=True)
class PollVoted(Event):
    """`actor_id` chose `choice_ids` (new choices only) in the poll of post `post_id`."""

    post_id: int
    choice_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PollCounted(Event):
    """A poll's counts changed (a vote, wherever it came from); its server tells the others."""

    post_id: int


# --- moderation ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PostModerated(Event):
    """A moderator removed/restored, locked/unlocked or featured/unfeatured a post; `action` says which."""

    post_id: int
    action: str  # "remove" | "lock" | "feature_community" | "feature_local"
    value: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CommentModerated(Event):
    comment_id: int
    action: str  # "remove" | "distinguish" | "lock"
    value: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CommunityModerated(Event):
    community_id: int
    action: str  # "remove" | "hide"
    value: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class PersonBanned(Event):
    """A ban (`banned`) or unban; `community_id` None means the whole site."""

    person_id: int
    community_id: int | None
    banned: bool
    reason: str | None = None
    expires: datetime | None = None
    remove_data: bool = False


@dataclass(frozen=True, slots=True)
class ContentReported(Event):
    target: str  # "post" | "comment"
    report_id: int


@dataclass(frozen=True, slots=True)
class PersonWarned(Event):
    person_id: int
    warning_id: int


@dataclass(frozen=True, slots=True)
class ContentPurged(Event):
    """An admin purged a row for good; `ap_id` is what federation tells others to forget."""

    target: str  # "person" | "community" | "post" | "comment"
    ap_id: str


# --- private messages ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PrivateMessageChanged(Event):
    """Created, edited, deleted or restored; federation sends a ChatMessage (or its Delete) to the other side."""

    message_id: int
    change: str  # "created" | "updated" | "deleted" | "restored"
