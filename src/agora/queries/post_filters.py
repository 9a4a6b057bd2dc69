"""Which posts a listing shows: the `PostStatementKey` that decides its SQL and the rules (WHERE clauses) of each
key (who may see a community is queries.visibility's to say).

The rules are SQLAlchemy clauses over named parameters (`vid`, `community_id`, …) whose values come from
post_listings.values_of: a statement built once for a key serves every request of that key (db.prepared).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    FromClause,
    Integer,
    bindparam,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)

from agora.db.models import (
    CommunityBlock,
    CommunityFollower,
    InstanceBlock,
    InstancePersonsBlock,
    KeywordFilter,
    PersonBlock,
    PostCommunityTag,
    PostHide,
    PostLike,
    PostRead,
    PostSaved,
)
from agora.queries import columns, visibility
from agora.queries.id_lists import one_of
from agora.queries.post_views import ASKED, COMM, CREATOR, JOINED, P, probes
from agora.queries.viewer import Viewer

if TYPE_CHECKING:
    from agora.queries.post_listings import PostQuery


@dataclass(frozen=True, slots=True)
class PostStatementKey:
    """Everything that decides a listing's SQL (the statement cache key); the values are parameters."""

    viewer: bool = False
    listing_type: str = "All"
    sort: str = "Hot"
    community: bool = False
    creator: bool = False
    url: bool = False
    tag: bool = False  # only posts carrying one community tag
    show_nsfw: bool = False
    hide_bots: bool = False
    hide_read: bool = False
    hide_hidden: bool = False
    languages: bool = False
    saved_only: bool = False
    vote: int = 0  # 1: liked only, -1: disliked only
    keep_deleted: bool = False
    scoped: bool = False  # community_id one of `scope` (Subscribed, ModeratorView)
    # the scope holds only communities whose posts may be listed (Subscribed: see ViewerLists.subscribed), so no
    # rule needs the community row and the statement reads the post table alone
    scope_checked: bool = False
    after: str | None = None  # the cursor post is "featured" or "plain"
    # the viewer's blocks of people, communities, instances (their communities), instances (their persons):
    # NONE, LIST (the ids as a parameter) or QUERY
    blocks: tuple[int, int, int, int] = (0, 0, 0, 0)
    keyword_filter: bool = False
    # which viewer flags the view asks its tables for (post_views.probes)
    probes: tuple[bool, bool, bool, bool] = ASKED


NONE, LIST, QUERY = 0, 1, 2


def statement_key(
    viewer: Viewer | None, q: PostQuery, *, show_nsfw: bool, scoped: bool = False, after: str | None = None
) -> PostStatementKey:
    common: dict[str, Any] = {  # the fields of the key that a listing without a viewer has too
        "listing_type": q.listing_type,
        "sort": q.sort,
        "community": q.community_id is not None,
        "creator": q.creator_id is not None,
        "url": q.url is not None,
        "tag": q.tag_id is not None,
        "show_nsfw": show_nsfw,
        "scoped": scoped,
        "scope_checked": scoped and q.listing_type == "Subscribed",
        "after": after,
    }
    if viewer is None:
        return PostStatementKey(**common)
    show_read = q.show_read if q.show_read is not None else viewer.show_read_posts
    known = viewer.lists
    if known is None:
        blocks, keywords, hidden, read = (QUERY, QUERY, QUERY, QUERY), True, True, True
    else:
        lists = (
            known.blocked_people,
            known.blocked_communities,
            known.blocked_instances,
            known.blocked_instance_persons,
        )
        people, communities, instances, instance_persons = (LIST if ids else NONE for ids in lists)
        blocks = (people, communities, instances, instance_persons)
        keywords, hidden, read = known.keyword_filters, known.hidden_posts, known.read_posts
    return PostStatementKey(
        viewer=True,
        hide_bots=not viewer.show_bot_accounts,
        hide_read=not show_read and read,
        hide_hidden=not q.show_hidden and hidden,
        blocks=blocks,
        keyword_filter=keywords,
        probes=probes(viewer),
        languages=bool(viewer.language_ids),
        saved_only=q.saved_only,
        vote=1 if q.liked_only else -1 if q.disliked_only else 0,
        keep_deleted=bool(q.keep_deleted_of_creator and q.creator_id == viewer.person_id),
        **common,
    )


def source(s: PostStatementKey) -> FromClause:
    """What a listing of shape `s` reads: posts with their creator and community, or with less when its rules
    need less (a scope-checked feed needs the creator only to leave out bots or blocked instances' persons)."""
    if not s.scope_checked:
        return JOINED
    needs_creator = s.viewer and (s.hide_bots or s.blocks[3] != NONE)
    return P.join(CREATOR, CREATOR.c.id == P.c.creator_id) if needs_creator else P


def filters(s: PostStatementKey, *, one_plan: bool = False) -> list[ColumnElement[bool]]:
    """The rules of a listing of shape `s`; `one_plan`: its community hidden from PostgreSQL's planner
    (`_community_param`)."""
    if s.scope_checked:
        return _post_filters(s, one_plan)
    where = [COMM.c.deleted == columns.FALSE, COMM.c.removed == columns.FALSE]
    where += visibility.content_filters(COMM, member=s.viewer, vid=bindparam("vid") if s.viewer else None)
    if s.listing_type == "Local":
        where.append(COMM.c.local == columns.TRUE)
    if s.listing_type == "All" and not s.community:
        if not s.viewer:
            where.append(COMM.c.hidden == columns.FALSE)
        else:
            follower = CommunityFollower.__table__
            where.append(
                or_(
                    COMM.c.hidden == columns.FALSE,
                    exists().where(follower.c.community_id == COMM.c.id, follower.c.person_id == bindparam("vid")),
                )
            )
    if not s.show_nsfw:
        where.append(COMM.c.nsfw == columns.FALSE)
    return where + _post_filters(s, one_plan)


def _post_filters(s: PostStatementKey, one_plan: bool = False) -> list[ColumnElement[bool]]:
    """The rules that read the post, its creator and the viewer's own rows, not the community."""
    where = []
    if s.listing_type != "ModeratorView":
        where.append(P.c.removed == columns.FALSE)
    if not s.keep_deleted:
        where.append(P.c.deleted == columns.FALSE)
    if s.community:
        where.append(P.c.community_id == _community_param(one_plan))
    if s.creator:
        where.append(P.c.creator_id == bindparam("creator_id"))
    if s.url:
        where.append(P.c.url == bindparam("url"))
    if s.tag:
        tagged = PostCommunityTag.__table__
        where.append(exists().where(tagged.c.post_id == P.c.id, tagged.c.community_tag_id == bindparam("tag_id")))
    if not s.show_nsfw:
        where.append(P.c.nsfw == columns.FALSE)
    vid: BindParameter[int] = bindparam("vid")
    if s.viewer:
        if s.hide_bots:
            where.append(CREATOR.c.bot_account == columns.FALSE)
        if s.hide_read:
            read = PostRead.__table__
            where.append(not_(exists().where(read.c.post_id == P.c.id, read.c.person_id == vid)))
        if s.hide_hidden:
            hide = PostHide.__table__
            where.append(not_(exists().where(hide.c.post_id == P.c.id, hide.c.person_id == vid)))
        if not s.creator:
            where += _blocks(s, vid)
        if s.languages:
            where.append(one_of(P.c.language_id, "languages"))
        if s.keyword_filter:
            where.append(not_(_matches_keyword_filter()))
        if s.saved_only:
            saved = PostSaved.__table__
            where.append(exists().where(saved.c.post_id == P.c.id, saved.c.person_id == vid))
        if s.vote:
            like = PostLike.__table__
            where.append(exists().where(like.c.post_id == P.c.id, like.c.person_id == vid, like.c.score == s.vote))
    return where


def _community_param(one_plan: bool) -> ColumnElement[int]:
    """`(SELECT $n)` for `one_plan`, which PostgreSQL's planner cannot look into: every community then costs the
    same to it, so a prepared community listing settles on one generic plan instead of being planned afresh at
    every execution. With the plain parameter, a big community's custom plan looked cheaper than the generic one
    (the same plan, whose LIMIT stops sooner in 150k rows than in an average community's 200), so PostgreSQL
    planned every page again: 0.61 ms a page where the generic plan runs in 0.27 (large set, the biggest
    community, each execution timed through asyncpg). Not for a Top sort with a time window: there the plan must
    see the community to choose between the window's index and the score's (hidden, the biggest community's
    TopDay took 26 times as long)."""
    value = bindparam("community_id", type_=Integer)
    return select(value).scalar_subquery() if one_plan else value


def _blocks(s: PostStatementKey, vid: BindParameter[int]) -> list[ColumnElement[bool]]:
    """Posts by blocked people or by persons of blocked instances, in blocked communities or in communities of
    blocked instances stay out."""
    pb, cb, ib = PersonBlock.__table__, CommunityBlock.__table__, InstanceBlock.__table__
    ipb = InstancePersonsBlock.__table__
    people, communities, instances, instance_persons = s.blocks
    by_person = exists().where(pb.c.person_id == vid, pb.c.target_id == P.c.creator_id)
    by_instance = exists().where(ib.c.person_id == vid, ib.c.instance_id == COMM.c.instance_id)
    by_instance_persons = exists().where(ipb.c.person_id == vid, ipb.c.instance_id == CREATOR.c.instance_id)
    checks = [
        (people, P.c.creator_id, "blocked_people", by_person),
        (instance_persons, CREATOR.c.instance_id, "blocked_instance_persons", by_instance_persons),
    ]
    if not s.scope_checked:
        checks.append((instances, COMM.c.instance_id, "blocked_instances", by_instance))
    if not s.community:
        blocked = exists().where(cb.c.person_id == vid, cb.c.community_id == P.c.community_id)
        checks.append((communities, P.c.community_id, "blocked_communities", blocked))
    where = []
    for how, column, name, query in checks:
        if how == LIST:
            where.append(not_(one_of(column, name)))
        elif how == QUERY:
            where.append(not_(query))
    return where


def _matches_keyword_filter() -> ColumnElement[bool]:
    """The post's title or body contains one of the member's filtered words (case-insensitive)."""
    kf = KeywordFilter.__table__
    contains = literal("%") + kf.c.pattern + literal("%")
    return exists().where(
        kf.c.local_user_id == bindparam("luid"),
        or_(
            func.lower(P.c.name).like(contains, escape="\\"),
            func.lower(func.coalesce(P.c.body, "")).like(contains, escape="\\"),
        ),
    )
