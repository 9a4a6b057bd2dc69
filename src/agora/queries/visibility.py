"""Who may see what: the one rule every read surface applies (API, web pages, RSS, ActivityPub, search, modlog).

A reader is one of:

    None      an anonymous visitor (no login, or a login that does not resolve to a member who may act)
    Viewer    a member of this instance; `viewer.admin` for an admin
    REMOTE    another server reading over ActivityPub; a valid HTTP signature never widens what it sees

The rule:

    site       A private instance shows its members everything below and everyone else only what logging in
               and signing up need (`may_read_site`; agora.gate applies it to every route before any handler
               runs). A private instance does not federate (`federates`): no remote reader exists for it.
    community  A LocalOnly community, with its posts, comments, moderators and modlog rows, exists only for
               members (`community_open_to`, `community_filters`, `in_hidden_community`). A deleted or removed
               community is shown to admins only (`may_see_community`). A Private community shows itself to
               everyone, its posts and comments only to its approved followers and moderators
               (`may_read_content`, `content_filters`), as Lemmy 1.0 does.
    post       Its community's rules, then: removed, to its author, the community's moderators and admins;
               deleted, to its author and admins (`may_see_post`).
    comment    Its post's community's rule; a deleted or removed comment keeps its place in a tree with its text
               hidden (queries.comments).
    person     The site rule only: a person belongs to no community. What they wrote, and the communities they
               moderate, follow the community rule.

Listings apply the same rule as SQL (`community_filters`, `in_hidden_community`), so search, the modlog, person
pages, feeds and comment trees cannot disagree with the single-object checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import BindParameter, ColumnElement, FromClause, and_, exists, or_, select

from agora.db.models import Comment, Community, CommunityFollower, CommunityModerator, Post
from agora.errors import AgoraError, Code
from agora.queries import columns
from agora.queries.viewer import Viewer

LOCAL_ONLY: Final = "LocalOnly"
PRIVATE: Final = "Private"


class Remote:
    """Another server reading over ActivityPub."""

    def __repr__(self) -> str:
        return "REMOTE"


REMOTE: Final = Remote()
Audience = Viewer | Remote | None


def is_member(who: Audience) -> bool:
    return isinstance(who, Viewer)


def is_admin(who: Audience) -> bool:
    return isinstance(who, Viewer) and who.admin


# --- the site ---------------------------------------------------------------------------------------------------


def may_read_site(who: Audience, site: Mapping[str, Any]) -> bool:
    """`site`: the local site's settings (deps.site_settings)."""
    return is_member(who) or not site["private_instance"]


def check_site(who: Audience, site: Mapping[str, Any]) -> None:
    """Refuse a reader a private instance does not serve (Lemmy's check_private_instance)."""
    if not may_read_site(who, site):
        raise AgoraError(Code.instance_is_private, "this instance is private: log in to read it")


def federates(site: Mapping[str, Any]) -> bool:
    """Whether this instance talks to other servers at all. A private instance never does: its content would be
    public wherever it arrived, so the admin cannot turn both on (domain.site_settings) and a database that has
    both anyway is treated as not federating."""
    return bool(site["federation_enabled"]) and not site["private_instance"]


# --- communities, posts, comments -------------------------------------------------------------------------------


def community_open_to(who: Audience, community: Mapping[str, Any]) -> bool:
    """The community's visibility setting admits `who` (whatever its deleted or removed state)."""
    return community["visibility"] != LOCAL_ONLY or is_member(who)


def may_see_community(who: Audience, community: Mapping[str, Any]) -> bool:
    if not community_open_to(who, community):
        return False
    return is_admin(who) or not (community["deleted"] or community["removed"])


def may_read_content(who: Audience, community: Mapping[str, Any], *, approved: bool) -> bool:
    """`who` may read the community's posts and comments; `approved`: `who` is an accepted follower or a
    moderator of it (only asked of a Private community, see `approved_reader`)."""
    if not community_open_to(who, community):
        return False
    return community["visibility"] != PRIVATE or (is_member(who) and approved)


def may_see_post(
    who: Audience, post: Mapping[str, Any], community: Mapping[str, Any], *, is_mod: bool, approved: bool
) -> bool:
    """`is_mod`: `who` moderates the post's community (only asked for a removed post); `approved`: as for
    `may_read_content`."""
    if not may_read_content(who, community, approved=approved):
        return False
    own = isinstance(who, Viewer) and who.person_id == post["creator_id"]
    if post["removed"] and not (own or is_admin(who) or is_mod):
        return False
    return not (post["deleted"] and not (own or is_admin(who)))


def federated_community(community: Mapping[str, Any]) -> bool:
    """A local community other servers may know of: what is built into activities and served over ActivityPub."""
    return bool(community["local"]) and community_open_to(REMOTE, community)


# --- the same rules as SQL --------------------------------------------------------------------------------------


def community_filters(community: FromClause, *, member: bool) -> list[ColumnElement[bool]]:
    """The conditions on a listing's community row (`community`: the community table or an alias of it) that
    admit a reader; `member`: the reader is a member of this instance."""
    return [] if member else [community.c.visibility != LOCAL_ONLY]


def content_filters(
    community: FromClause, *, member: bool, vid: BindParameter[int] | None
) -> list[ColumnElement[bool]]:
    """`community_filters` for the posts and comments of a listing: a Private community's content only for its
    approved followers and moderators (`vid`: the reader's person id when `member`)."""
    if not member or vid is None:
        return [community.c.visibility != LOCAL_ONLY, community.c.visibility != PRIVATE]
    return [or_(community.c.visibility != PRIVATE, approved_reader(community.c.id, vid))]


def approved_reader(community_id: ColumnElement[Any], person_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """The person follows the community with an accepted follow, or moderates it."""
    follower, mod = CommunityFollower.__table__, CommunityModerator.__table__
    follows = exists().where(
        follower.c.community_id == community_id, follower.c.person_id == person_id, follower.c.pending == columns.FALSE
    )
    moderates = exists().where(mod.c.community_id == community_id, mod.c.person_id == person_id)
    return or_(follows, moderates)


def community_rules(community: FromClause, who: Audience) -> list[ColumnElement[bool]]:
    """`may_see_community` as SQL."""
    where = community_filters(community, member=is_member(who))
    if not is_admin(who):
        where += [community.c.deleted == columns.FALSE, community.c.removed == columns.FALSE]
    return where


_HIDDEN = Community.__table__.alias("hidden_community")
_HIDDEN_POST = Post.__table__.alias("hidden_post")
_HIDDEN_COMMENT = Comment.__table__.alias("hidden_comment")


def in_hidden_community(
    who: Audience,
    *,
    community_id: ColumnElement[Any] | None = None,
    post_id: ColumnElement[Any] | None = None,
    comment_id: ColumnElement[Any] | None = None,
) -> list[ColumnElement[bool]]:
    """Conditions that leave out a row naming a community, post or comment (by these id columns, any of them
    NULL) in a community `who` may not see: for rows that refer to content rather than join it (the modlog)."""
    if is_member(who):
        return []
    hidden = _HIDDEN.c.visibility == LOCAL_ONLY
    out: list[ColumnElement[bool]] = []
    if community_id is not None:
        out.append(~exists().where(_HIDDEN.c.id == community_id, hidden))
    if post_id is not None:
        through_post = _HIDDEN_POST.join(_HIDDEN, _HIDDEN.c.id == _HIDDEN_POST.c.community_id)
        out.append(~exists(select(1).select_from(through_post).where(_HIDDEN_POST.c.id == post_id, hidden)))
    if comment_id is not None:
        through_comment = _HIDDEN_COMMENT.join(_HIDDEN_POST, _HIDDEN_POST.c.id == _HIDDEN_COMMENT.c.post_id).join(
            _HIDDEN, _HIDDEN.c.id == _HIDDEN_POST.c.community_id
        )
        out.append(
            ~exists(select(1).select_from(through_comment).where(and_(_HIDDEN_COMMENT.c.id == comment_id, hidden)))
        )
    return out
