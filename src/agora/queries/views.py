"""View objects that reads return; api/v3/shapes turns them into Lemmy's JSON, web templates render them.

Each holds one dict per table (columns from queries.columns) plus the viewer-dependent flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass(slots=True)
class PersonView:
    person: Row
    is_admin: bool


@dataclass(slots=True)
class CommunityView:
    community: Row
    subscribed: str = "NotSubscribed"
    blocked: bool = False
    banned_from_community: bool = False


@dataclass(slots=True)
class PostView:
    post: Row
    creator: Row
    community: Row
    creator_banned_from_community: bool = False
    banned_from_community: bool = False
    creator_is_moderator: bool = False
    creator_is_admin: bool = False
    subscribed: str = "NotSubscribed"
    saved: bool = False
    read: bool = False
    hidden: bool = False
    creator_blocked: bool = False
    my_vote: int | None = None
    unread_comments: int = 0
    image_details: Row | None = None


@dataclass(slots=True)
class CommentView:
    comment: Row
    creator: Row
    post: Row
    community: Row
    creator_banned_from_community: bool = False
    banned_from_community: bool = False
    creator_is_moderator: bool = False
    creator_is_admin: bool = False
    subscribed: str = "NotSubscribed"
    saved: bool = False
    creator_blocked: bool = False
    my_vote: int | None = None


@dataclass(slots=True)
class ModeratorView:
    community: Row
    moderator: Row


@dataclass(slots=True)
class PostPage:
    posts: list[PostView]
    next_cursor: str | None = None


@dataclass(slots=True)
class LocalUserView:
    local_user: Row
    person: Row


@dataclass(slots=True)
class SiteInfo:
    site: Row
    local_site: Row
    rate_limit: Row
    admins: list[PersonView] = field(default_factory=list)
    all_languages: list[Row] = field(default_factory=list)
    discussion_languages: list[int] = field(default_factory=list)
    taglines: list[Row] = field(default_factory=list)
    custom_emojis: list[tuple[Row, list[str]]] = field(default_factory=list)


@dataclass(slots=True)
class MyUserInfo:
    local_user_view: LocalUserView
    follows: list[Row]
    moderates: list[Row]
    community_blocks: list[Row]
    instance_blocks: list[Row]
    person_blocks: list[Row]
    discussion_languages: list[int]
