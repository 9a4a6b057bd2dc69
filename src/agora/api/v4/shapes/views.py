"""Lemmy 1.0's joined views (PostView, CommentView, CommunityView, PersonView …) from the queries' views.

1.0 replaced 0.19's viewer flags (`saved`, `my_vote`, `subscribed` …) with optional action records
(`post_actions`, `community_actions` …) whose timestamps say when. Agora's views carry the flags, not their
times: an action record is present exactly when its flag is set, and its time is the item's own `published_at`
until the queries read the action's time (the presence is what apps act on).
"""

from __future__ import annotations

from typing import Any, Literal

from agora.api.v4.shapes.base import Shape, present
from agora.api.v4.shapes.objects import (
    Comment,
    Community,
    Person,
    Post,
    comment_json,
    community_json,
    person_json,
    post_json,
)
from agora.queries import views as v

FOLLOW_STATE = {"Subscribed": "accepted", "Pending": "pending", "ApprovalRequired": "approval_required"}


TagColor = Literal[
    "color01", "color02", "color03", "color04", "color05", "color06", "color07", "color08", "color09", "color10"
]


class CommunityTag(Shape):
    id: int
    ap_id: str
    name: str
    display_name: str | None = None
    summary: str | None = None
    community_id: int
    published_at: Any
    updated_at: Any = None
    deleted: bool
    color: TagColor


_TAG = (
    ("id", "id"),
    ("ap_id", "ap_id"),
    ("name", "name"),
    ("display_name", "display_name"),
    ("summary", "summary"),
    ("community_id", "community_id"),
    ("published_at", "published"),
    ("updated_at", "updated"),
    ("deleted", "deleted"),
    ("color", "color"),
)


def tag_json(row: dict[str, Any]) -> dict[str, Any]:
    return present(row, _TAG)


class CommunityActions(Shape):
    followed_at: Any = None
    blocked_at: Any = None
    follow_state: Literal["accepted", "pending", "approval_required", "denied"] | None = None


class PostActions(Shape):
    read_at: Any = None
    saved_at: Any = None
    voted_at: Any = None
    hidden_at: Any = None
    vote_is_upvote: bool | None = None


class CommentActions(Shape):
    voted_at: Any = None
    saved_at: Any = None
    vote_is_upvote: bool | None = None


class PostView(Shape):
    post: Post
    creator: Person
    community: Community
    community_actions: CommunityActions | None = None
    post_actions: PostActions | None = None
    creator_is_admin: bool
    tags: list[CommunityTag]
    can_mod: bool
    creator_banned: bool
    creator_is_moderator: bool
    creator_banned_from_community: bool


class CommentView(Shape):
    comment: Comment
    creator: Person
    post: Post
    community: Community
    community_actions: CommunityActions | None = None
    comment_actions: CommentActions | None = None
    creator_is_admin: bool
    can_mod: bool
    creator_banned: bool
    creator_is_moderator: bool
    creator_banned_from_community: bool


class CommunityView(Shape):
    community: Community
    community_actions: CommunityActions | None = None
    can_mod: bool
    tags: list[CommunityTag]


class PersonView(Shape):
    person: Person
    is_admin: bool
    banned: bool


class CommunityModeratorView(Shape):
    community: Community
    moderator: Person


def community_actions(
    subscribed: str, blocked: bool, banned: bool, when: Any, *, private: bool = False
) -> dict[str, Any] | None:
    """`private`: the community is a Private one, where a pending follow waits for its moderators (1.0's
    approval_required) rather than for a remote server's Accept."""
    actions: dict[str, Any] = {}
    state = FOLLOW_STATE.get("ApprovalRequired" if private and subscribed == "Pending" else subscribed)
    if state is not None:
        actions["follow_state"] = state
        actions["followed_at"] = when
    if blocked:
        actions["blocked_at"] = when
    if banned:
        actions["received_ban_at"] = when
    return actions or None


def _vote(my_vote: int | None, when: Any) -> dict[str, Any]:
    if not my_vote:
        return {}
    return {"voted_at": when, "vote_is_upvote": my_vote > 0}


def _flags(view: v.PostItem | v.CommentItem, can_mod: bool) -> dict[str, Any]:
    """What a post's and a comment's view say of the author, then `tags` (a post's; a comment's none) and the
    viewer's `can_mod`."""
    creator = view.creator
    out: dict[str, Any] = {
        "creator_is_admin": view.creator_is_admin,
        "creator_banned": bool(creator.get("banned")),
        "creator_is_moderator": view.creator_is_moderator,
        "creator_banned_from_community": view.creator_banned_from_community,
    }
    if creator.get("ban_expires") is not None:
        out["creator_ban_expires_at"] = creator["ban_expires"]
    out["tags"] = [tag_json(tag) for tag in view.tags] if isinstance(view, v.PostItem) else []
    out["can_mod"] = can_mod
    return out


def _add_viewer_actions(out: dict[str, Any], view: v.PostItem | v.CommentItem, when: Any) -> None:
    """The viewer's records on a post's or comment's community and author, where there are any."""
    private = view.community.get("visibility") == "Private"
    community = community_actions(view.subscribed, False, view.banned_from_community, when, private=private)
    if community:
        out["community_actions"] = community
    if view.creator_blocked:
        out["person_actions"] = {"blocked_at": when}


def post_view_json(view: v.PostItem, *, can_mod: bool = False) -> dict[str, Any]:
    post = view.post
    when = post["published"]
    out: dict[str, Any] = {
        "post": post_json(post),
        "creator": person_json(view.creator),
        "community": community_json(view.community),
        **_flags(view, can_mod),
    }
    actions = _vote(view.my_vote, when)
    for flag, key in ((view.saved, "saved_at"), (view.read, "read_at"), (view.hidden, "hidden_at")):
        if flag:
            actions[key] = when
    if view.read:
        actions["read_comments_amount"] = post["comments"] - view.unread_comments
    if actions:
        out["post_actions"] = actions
    _add_viewer_actions(out, view, when)
    if view.image_details is not None:
        out["image_details"] = view.image_details
    return out


def comment_view_json(view: v.CommentItem, *, can_mod: bool = False) -> dict[str, Any]:
    comment = view.comment
    when = comment["published"]
    out: dict[str, Any] = {
        "comment": comment_json(comment),
        "creator": person_json(view.creator),
        "post": post_json(view.post),
        "community": community_json(view.community),
        **_flags(view, can_mod),
    }
    actions = _vote(view.my_vote, when)
    if view.saved:
        actions["saved_at"] = when
    if actions:
        out["comment_actions"] = actions
    _add_viewer_actions(out, view, when)
    return out


def community_view_json(view: v.CommunityItem, *, can_mod: bool = False) -> dict[str, Any]:
    tags = [tag_json(tag) for tag in view.tags]
    out: dict[str, Any] = {"community": community_json(view.community), "tags": tags, "can_mod": can_mod}
    when = view.community["published"]
    private = view.community.get("visibility") == "Private"
    actions = community_actions(view.subscribed, view.blocked, view.banned_from_community, when, private=private)
    if actions:
        out["community_actions"] = actions
    return out


def person_view_json(view: v.PersonItem, note: dict[str, Any] | None = None) -> dict[str, Any]:
    """`note`: the viewer's own note about the person ({"note", "noted_at"}), shown to the viewer alone."""
    person = view.person
    out = {"person": person_json(person), "is_admin": view.is_admin, "banned": bool(person.get("banned"))}
    if note is not None:
        out["person_actions"] = note
    if person.get("ban_expires") is not None:
        out["ban_expires_at"] = person["ban_expires"]
    return out


def moderator_view_json(view: v.ModeratorItem) -> dict[str, Any]:
    return {"community": community_json(view.community), "moderator": person_json(view.moderator)}


def with_notifications(view: dict[str, Any], actions: str, mode: str | None) -> dict[str, Any]:
    """`view` with the member's notification mode in its `actions` ("community_actions" or "post_actions"), when
    they set one."""
    if mode is not None:
        view[actions] = {**(view.get(actions) or {}), "notifications": mode}
    return view
