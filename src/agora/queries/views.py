"""The items that reads return; api/*/shapes turn them into Lemmy's JSON, web templates render them.

They are named `…Item` so that none shares a name with Lemmy's `…View` shapes in api/v3/shapes and api/v4/shapes.

Each holds one dict per table (columns from queries.columns) plus the viewer-dependent flags. PostItem and
CommentItem hold their row instead and cut those dicts from it when first read (see PostItem).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack

from agora.queries import columns

Row = dict[str, Any]


@dataclass(slots=True)
class PersonItem:
    person: Row
    is_admin: bool


@dataclass(slots=True)
class CommunityItem:
    community: Row
    subscribed: str = "NotSubscribed"
    blocked: bool = False
    banned_from_community: bool = False
    tags: list[Row] = field(default_factory=list)  # its live community tags, where the read asked for them


class RelationFlags(TypedDict, total=False):
    """The flags a post and a comment both carry about their creator and community, as `flags.relations` reads
    them from a row, and the viewer's own marks (absent: False, "NotSubscribed", no vote)."""

    creator_banned_from_community: bool
    banned_from_community: bool
    creator_is_moderator: bool
    creator_is_admin: bool
    subscribed: str
    creator_blocked: bool
    saved: bool
    my_vote: int | None


class _RowItem:
    """What PostItem and CommentItem share: a row (`values`) whose creator columns stand from CREATOR_AT to
    CREATOR_END, cut into a dict when first read, and their `RelationFlags`."""

    __slots__ = (
        "_creator",
        "banned_from_community",
        "creator_banned_from_community",
        "creator_blocked",
        "creator_is_admin",
        "creator_is_moderator",
        "my_vote",
        "saved",
        "subscribed",
        "values",
    )
    CREATOR_AT: int
    CREATOR_END: int

    def __init__(
        self,
        values: Sequence[Any],
        *,
        creator_banned_from_community: bool = False,
        banned_from_community: bool = False,
        creator_is_moderator: bool = False,
        creator_is_admin: bool = False,
        subscribed: str = "NotSubscribed",
        creator_blocked: bool = False,
        saved: bool = False,
        my_vote: int | None = None,
    ) -> None:
        self.values = values
        self._creator: Row | None = None
        self.creator_banned_from_community = creator_banned_from_community
        self.banned_from_community = banned_from_community
        self.creator_is_moderator = creator_is_moderator
        self.creator_is_admin = creator_is_admin
        self.subscribed = subscribed
        self.creator_blocked = creator_blocked
        self.saved = saved
        self.my_vote = my_vote

    @property
    def creator(self) -> Row:
        if self._creator is None:
            self._creator = dict(zip(columns.PERSON, self.values[self.CREATOR_AT : self.CREATOR_END], strict=True))
        return self._creator

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.values[0]}, creator={self.values[self.CREATOR_AT]})"


class PostItem(_RowItem):
    """A post with its creator, community and the viewer's flags.

    `values` is the row it was read from: the columns of `columns.POST`, then `columns.PERSON` (the creator), then
    `columns.COMMUNITY`, at the offsets below. `post`, `creator` and `community` are dicts cut from it when first
    read, so a listing shaped straight from `values` (the API's) never builds them: the API shapes a post of a
    front page in 5.4 µs this way, 9.5 µs through the dicts. The dicts are read-only: a change to one would not
    reach `values`."""

    __slots__ = ("_community", "_post", "hidden", "image_details", "read", "tags", "unread_comments")

    CREATOR_AT = len(columns.POST)
    COMMUNITY_AT = CREATOR_END = CREATOR_AT + len(columns.PERSON)
    FLAGS_AT = COMMUNITY_AT + len(columns.COMMUNITY)

    def __init__(
        self,
        values: Sequence[Any],
        *,
        read: bool = False,
        hidden: bool = False,
        unread_comments: int = 0,
        image_details: Row | None = None,
        **relations: Unpack[RelationFlags],
    ) -> None:
        super().__init__(values, **relations)
        self._post: Row | None = None
        self._community: Row | None = None
        self.read = read
        self.hidden = hidden
        self.unread_comments = unread_comments
        self.image_details = image_details
        self.tags: list[Row] = []  # its live community tags, where the read asked for them (community_tags)

    @property
    def post(self) -> Row:
        if self._post is None:
            self._post = dict(zip(columns.POST, self.values[: self.CREATOR_AT], strict=True))
        return self._post

    @property
    def community(self) -> Row:
        if self._community is None:
            at = self.COMMUNITY_AT
            self._community = dict(zip(columns.COMMUNITY, self.values[at : self.FLAGS_AT], strict=True))
        return self._community


class CommentItem(_RowItem):
    """A comment with its creator, post, community and the viewer's flags.

    As in PostItem, `values` is the row: the columns of `columns.COMMENT`, then `columns.PERSON` (the creator) at
    CREATOR_AT; `comment` and `creator` are dicts cut from it when first read, and read-only. `post` and
    `community` are dicts, shared by the views of one tree. `content_hidden`: the viewer may not read this
    deleted or removed comment, whose `comment["content"]` is then empty (it keeps its place in the tree)."""

    __slots__ = ("_comment", "community", "content_hidden", "post")

    CREATOR_AT = len(columns.COMMENT)
    CREATOR_END = CREATOR_AT + len(columns.PERSON)  # where a tree row's flags start (other rows: its post)

    def __init__(
        self,
        values: Sequence[Any],
        post: Row,
        community: Row,
        content_hidden: bool = False,
        **relations: Unpack[RelationFlags],
    ) -> None:
        super().__init__(values, **relations)
        self._comment: Row | None = None
        self.post = post
        self.community = community
        self.content_hidden = content_hidden

    @property
    def comment(self) -> Row:
        if self._comment is None:
            self._comment = dict(zip(columns.COMMENT, self.values[: self.CREATOR_AT], strict=True))
            if self.content_hidden:
                self._comment["content"] = ""
        return self._comment


@dataclass(slots=True)
class ModeratorItem:
    community: Row
    moderator: Row


@dataclass(slots=True)
class PostPage:
    posts: list[PostItem]
    next_cursor: str | None = None


@dataclass(slots=True)
class LocalUserItem:
    local_user: Row
    person: Row


@dataclass(slots=True)
class SiteInfo:
    site: Row
    local_site: Row
    rate_limit: Row
    admins: list[PersonItem] = field(default_factory=list)
    all_languages: list[Row] = field(default_factory=list)
    discussion_languages: list[int] = field(default_factory=list)
    taglines: list[Row] = field(default_factory=list)
    custom_emojis: list[tuple[Row, list[str]]] = field(default_factory=list)
    blocked_urls: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class AccountSummary:
    local_user_view: LocalUserItem
    follows: list[Row]
    moderates: list[Row]
    community_blocks: list[Row]
    instance_blocks: list[Row]  # instances whose communities the member blocked
    person_blocks: list[Row]
    instance_persons_blocks: list[Row]  # instances whose persons the member blocked
    discussion_languages: list[int]
