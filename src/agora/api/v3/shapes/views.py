"""Joined views: PostView, CommentView, CommunityView, PersonView and friends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import orjson

from agora.api.v3.shapes.base import Shape, pick_at, positions
from agora.api.v3.shapes.objects import (
    COMMENT_COUNTS,
    COMMENT_FIELDS,
    COMMUNITY_FIELDS,
    PERSON_FIELDS,
    POST_COUNTS,
    POST_FIELDS,
    Comment,
    CommentAggregates,
    Community,
    CommunityAggregates,
    Person,
    PersonAggregates,
    Post,
    PostAggregates,
    community_counts,
    community_json,
    person_counts,
    person_json,
    post_json,
)
from agora.api.v3.shapes.polls import PollView
from agora.queries import columns
from agora.queries import views as v
from agora.responses import OPTIONS

SubscribedType = Literal["Subscribed", "NotSubscribed", "Pending"]


class ImageDetails(Shape):
    link: str
    width: int
    height: int
    content_type: str


class PostView(Shape):
    post: Post
    creator: Person
    community: Community
    image_details: ImageDetails | None = None
    creator_banned_from_community: bool
    banned_from_community: bool
    creator_is_moderator: bool
    creator_is_admin: bool
    counts: PostAggregates
    subscribed: SubscribedType
    saved: bool
    read: bool
    hidden: bool
    creator_blocked: bool
    my_vote: int | None = None
    unread_comments: int
    poll: PollView | None = None  # Agora's extension: on GET /post and the answers of create, edit and poll votes


class CommentView(Shape):
    comment: Comment
    creator: Person
    post: Post
    community: Community
    counts: CommentAggregates
    creator_banned_from_community: bool
    banned_from_community: bool
    creator_is_moderator: bool
    creator_is_admin: bool
    subscribed: SubscribedType
    saved: bool
    creator_blocked: bool
    my_vote: int | None = None


class CommunityView(Shape):
    community: Community
    subscribed: SubscribedType
    blocked: bool
    counts: CommunityAggregates
    banned_from_community: bool


class PersonView(Shape):
    person: Person
    counts: PersonAggregates
    is_admin: bool


class CommunityModeratorView(Shape):
    community: Community
    moderator: Person


class CommunityFollowerView(Shape):
    community: Community
    follower: Person


class CommunityBlockView(Shape):
    person: Person
    community: Community


class PersonBlockView(Shape):
    person: Person
    target: Person


# Where a PostView's row holds each field (shaping from the row skips building its three dicts)
_POST = positions(POST_FIELDS, columns.POST, 0)
_CREATOR = positions(PERSON_FIELDS, columns.PERSON, v.PostItem.CREATOR_AT)
_COMMUNITY = positions(COMMUNITY_FIELDS, columns.COMMUNITY, v.PostItem.COMMUNITY_AT)
_POST_COUNTS = tuple((key, columns.POST.index(column)) for key, column in POST_COUNTS)


def _standing(view: v.PostItem | v.CommentItem) -> dict[str, Any]:
    """What a post's and a comment's view say of the author's standing and the viewer's ban, in Lemmy's order."""
    return {
        "creator_banned_from_community": view.creator_banned_from_community,
        "banned_from_community": view.banned_from_community,
        "creator_is_moderator": view.creator_is_moderator,
        "creator_is_admin": view.creator_is_admin,
    }


def post_view_json(view: v.PostItem) -> dict[str, Any]:
    values = view.values
    out = {
        "post": pick_at(values, _POST),
        "creator": pick_at(values, _CREATOR),
        "community": pick_at(values, _COMMUNITY),
        **_standing(view),
        "counts": {key: values[i] for key, i in _POST_COUNTS},
        "subscribed": view.subscribed,
        "saved": view.saved,
        "read": view.read,
        "hidden": view.hidden,
        "creator_blocked": view.creator_blocked,
        "unread_comments": view.unread_comments,
    }
    if view.my_vote is not None:
        out["my_vote"] = view.my_vote
    if view.image_details is not None:
        out["image_details"] = view.image_details
    return out


class ListedPosts:
    """Listings' posts, serialised (see `listed_post_json`): by post id and the view's flags, the row each was made
    from, its JSON and that JSON's length; the least recently used dropped first. A row's strings are about as
    large as its JSON, so the bytes cap bounds the memory, about twice `max_bytes` a process, whatever the posts'
    lengths; a post over 1/64 of it is not kept. One per app (held on its state), never stale: it answers only
    for an equal row."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = 8 * 1024 * 1024) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: dict[tuple, tuple[tuple, orjson.Fragment, int]] = {}
        self.bytes = 0

    def json(self, view: v.PostItem) -> orjson.Fragment | dict[str, Any]:
        """`post_view_json`, serialised, for a listing: the same post with the same row is serialised once.

        The front page, Local and each community page show the same few hot posts to every reader; shaping and
        serialising each of them again was a tenth of a front page's server CPU (docs/performance.md). What is
        reused must come from an equal row with the same flags, so any change (a vote, an edit, another viewer's
        flags) makes it anew. The row is compared, not hashed: hashing a row's fresh strings and timestamps cost
        as much as half the shaping it saves. A column's values always have one type (db.prepared converts
        them), so equal rows serialise alike."""
        if view.image_details is not None:
            return post_view_json(view)
        key = (
            view.values[0],
            view.creator_banned_from_community,
            view.banned_from_community,
            view.creator_is_moderator,
            view.creator_is_admin,
            view.subscribed,
            view.saved,
            view.read,
            view.hidden,
            view.creator_blocked,
            view.my_vote,
            view.unread_comments,
        )
        row = tuple(view.values)
        entries = self.entries
        kept = entries.pop(key, None)
        if kept is not None:
            if kept[0] == row:
                entries[key] = kept
                return kept[1]
            self.bytes -= kept[2]
        serialised = orjson.dumps(post_view_json(view), option=OPTIONS)
        made, size = orjson.Fragment(serialised), len(serialised)
        if size <= self.max_bytes // 64:  # a larger one would push out many others: answered, not kept
            while entries and (len(entries) >= self.max_entries or self.bytes + size > self.max_bytes):
                self.bytes -= entries.pop(next(iter(entries)))[2]
            entries[key] = (row, made, size)
            self.bytes += size
        return made


_COMMENT = positions(COMMENT_FIELDS, columns.COMMENT, 0)
_COMMENT_CREATOR = positions(PERSON_FIELDS, columns.PERSON, v.CommentItem.CREATOR_AT)
_COMMENT_COUNTS = tuple((key, columns.COMMENT.index(column)) for key, column in COMMENT_COUNTS)


def comment_view_json(view: v.CommentItem, shaped: _Shaped | None = None) -> dict[str, Any]:
    """`shaped` keeps what many views of one listing share, shaped and serialised once (see `comment_views_json`)."""
    values = view.values
    post: dict[str, Any] | orjson.Fragment
    community: dict[str, Any] | orjson.Fragment
    if shaped is None:
        post, community = post_json(view.post), community_json(view.community)
        creator = pick_at(values, _COMMENT_CREATOR)
    else:
        post, community = shaped.serialised(view.post, post_json), shaped.serialised(view.community, community_json)
        creator = shaped.creator(values)
    comment = pick_at(values, _COMMENT)
    if view.content_hidden:
        comment["content"] = ""
    out: dict[str, Any] = {
        "comment": comment,
        "creator": creator,
        "post": post,
        "community": community,
        "counts": {key: values[i] for key, i in _COMMENT_COUNTS},
        **_standing(view),
        "subscribed": view.subscribed,
        "saved": view.saved,
        "creator_blocked": view.creator_blocked,
    }
    if view.my_vote is not None:
        out["my_vote"] = view.my_vote
    return out


class _Shaped:
    """What a listing's views share, shaped once: its authors (by person id), and its posts and communities (the
    same dict object). A post's tree of 300 comments repeats its post and community in each view (Lemmy's
    shape): those are also serialised once, as orjson fragments, which took a fifth of the request when
    serialised 300 times."""

    def __init__(self) -> None:
        self._done: dict[int, Any] = {}
        self._people: dict[int, dict[str, Any]] = {}

    def creator(self, values: Sequence[Any]) -> dict[str, Any]:
        person_id = values[v.CommentItem.CREATOR_AT]
        found = self._people.get(person_id)
        if found is None:
            found = self._people[person_id] = pick_at(values, _COMMENT_CREATOR)
        return found

    def serialised(self, row: dict[str, Any], shape: Callable[[dict[str, Any]], dict[str, Any]]) -> orjson.Fragment:
        found = self._done.get(id(row))
        if found is None:
            found = self._done[id(row)] = orjson.Fragment(orjson.dumps(shape(row), option=OPTIONS))
        return found


def comment_views_json(views: list[v.CommentItem]) -> list[dict[str, Any]]:
    """A listing's views for a response body only: what many of them share is shaped once, and post and community
    are orjson fragments, which only `json_response` reads."""
    shaped = _Shaped()
    return [comment_view_json(view, shaped) for view in views]


def community_view_json(view: v.CommunityItem) -> dict[str, Any]:
    return {
        "community": community_json(view.community),
        "subscribed": view.subscribed,
        "blocked": view.blocked,
        "counts": community_counts(view.community),
        "banned_from_community": view.banned_from_community,
    }


def person_view_json(view: v.PersonItem) -> dict[str, Any]:
    return {"person": person_json(view.person), "counts": person_counts(view.person), "is_admin": view.is_admin}


def moderator_view_json(view: v.ModeratorItem) -> dict[str, Any]:
    return {"community": community_json(view.community), "moderator": person_json(view.moderator)}
