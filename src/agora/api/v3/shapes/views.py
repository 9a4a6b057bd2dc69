"""Joined views: PostView, CommentView, CommunityView, PersonView and friends."""

from __future__ import annotations

from typing import Any, Literal

from agora.api.v3.shapes.base import Shape
from agora.api.v3.shapes.objects import (
    Comment,
    CommentAggregates,
    Community,
    CommunityAggregates,
    Person,
    PersonAggregates,
    Post,
    PostAggregates,
    comment_counts,
    comment_json,
    community_counts,
    community_json,
    person_counts,
    person_json,
    post_counts,
    post_json,
)
from agora.queries import views as v

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


def post_view_json(view: v.PostView) -> dict[str, Any]:
    out = {
        "post": post_json(view.post),
        "creator": person_json(view.creator),
        "community": community_json(view.community),
        "creator_banned_from_community": view.creator_banned_from_community,
        "banned_from_community": view.banned_from_community,
        "creator_is_moderator": view.creator_is_moderator,
        "creator_is_admin": view.creator_is_admin,
        "counts": post_counts(view.post),
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


def comment_view_json(view: v.CommentView, shaped: dict[int, dict] | None = None) -> dict[str, Any]:
    """`shaped` keeps the JSON of post and community rows already shaped (by identity), for many views at once."""
    if shaped is None:
        post, community = post_json(view.post), community_json(view.community)
    else:
        post, community = _once(shaped, view.post, post_json), _once(shaped, view.community, community_json)
    out = {
        "comment": comment_json(view.comment),
        "creator": person_json(view.creator),
        "post": post,
        "community": community,
        "counts": comment_counts(view.comment),
        "creator_banned_from_community": view.creator_banned_from_community,
        "banned_from_community": view.banned_from_community,
        "creator_is_moderator": view.creator_is_moderator,
        "creator_is_admin": view.creator_is_admin,
        "subscribed": view.subscribed,
        "saved": view.saved,
        "creator_blocked": view.creator_blocked,
    }
    if view.my_vote is not None:
        out["my_vote"] = view.my_vote
    return out


def _once(shaped: dict[int, dict], row: dict, shape) -> dict:
    found = shaped.get(id(row))
    if found is None:
        found = shaped[id(row)] = shape(row)
    return found


def comment_views_json(views: list[v.CommentView]) -> list[dict[str, Any]]:
    """A listing's views: the post and community many of them share (a post's tree) are shaped once."""
    shaped: dict[int, dict] = {}
    return [comment_view_json(view, shaped) for view in views]


def community_view_json(view: v.CommunityView) -> dict[str, Any]:
    return {
        "community": community_json(view.community),
        "subscribed": view.subscribed,
        "blocked": view.blocked,
        "counts": community_counts(view.community),
        "banned_from_community": view.banned_from_community,
    }


def person_view_json(view: v.PersonView) -> dict[str, Any]:
    return {"person": person_json(view.person), "counts": person_counts(view.person), "is_admin": view.is_admin}


def moderator_view_json(view: v.ModeratorView) -> dict[str, Any]:
    return {"community": community_json(view.community), "moderator": person_json(view.moderator)}
