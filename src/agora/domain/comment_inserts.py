"""A member's comment on PostgreSQL in one read and one write, for the common case.

`create` checks and writes what `comments.create` and `comments.insert` do, and what the notification and outbox
subscribers would write after them, in two statements: one read of everything the rules and the subscribers ask
(post, community, author, ban, parent, the reply's recipient with their mode and blocks, whether anyone's mode
wants every comment of the post, whether another server could hear of it), and one INSERT of the comment whose
data-modifying CTEs write the rest (id from the sequence, so path and ActivityPub id go in with the row; the
author's upvote; every ancestor's child count; the post's counts and ranks, computed in SQL from the row as the
UPDATE finds it; the author's, community's and site's counts; the reply notification).

It answers None, having written nothing, when the case is not the common one: a comment that mentions someone,
a post or community whose members asked for every comment, a session without the process's settings cache. Then
`comments.create` takes its general path, whose subscribers handle those.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    DateTime,
    Float,
    Insert,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import counter_shards
from agora.db.cached import site_settings
from agora.db.models import (
    Comment,
    CommentLike,
    CommentReply,
    Community,
    CommunityFollower,
    CommunityNotifications,
    CounterShard,
    LocalUser,
    Person,
    Post,
    PostNotifications,
)
from agora.domain import blocked_urls, communities, limits, notification_modes, posts, ranking
from agora.domain.blocks import hides
from agora.domain.events import CommentCreated, record
from agora.domain.permissions import (
    Acting,
    check_can_write_in,
    community_ban_active,
    is_mod_or_admin,
    require_private_member,
)
from agora.errors import AgoraError, Code
from agora.text.mentions import find_mentions


async def create(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    *,
    post_id: int,
    content: str,
    parent_id: int | None,
    language_id: int | None,
) -> Comment | None:
    """`comments.create` for a local member on PostgreSQL; None (nothing written) when it is not the common case."""
    settings = await site_settings(session)
    if settings is None or find_mentions(content):
        return None
    content = limits.check_comment(content)
    limits.check_slurs(settings["slur_filter_regex"], content)
    await blocked_urls.check_as_of(session, settings["updated"], content)
    at = now()
    found = (
        await session.execute(
            _checking(), {"post_id": post_id, "person_id": actor.person_id, "parent": parent_id, "at": at}
        )
    ).one_or_none()
    if found is None:
        raise AgoraError(Code.couldnt_find_post)
    post, community, person, parent, banned, to, account, notified, elsewhere, wanted = found
    if person is None:
        raise AgoraError(Code.couldnt_find_person)
    check_can_write_in(person, community, banned)
    await require_private_member(session, person, community)
    posts.require_post_open(post)
    if post.locked:
        raise AgoraError(Code.locked)
    if parent_id is not None:
        if parent is None:
            raise AgoraError(Code.couldnt_find_comment)
        if parent.post_id != post.id:
            raise AgoraError(Code.couldnt_create_comment, "parent comment belongs to another post")
        if parent.depth + 1 >= limits.COMMENT_DEPTH_MAX:
            raise AgoraError(Code.max_comment_depth_reached)
        if parent.locked and not await is_mod_or_admin(session, actor, community.id):
            raise AgoraError(Code.locked, "the comment replied to is locked")
    language_id = await communities.check_language(session, community.id, language_id)
    if wanted:
        return None  # subscribed notifications: the general path's subscriber writes them
    fresh = at - post.published <= ranking.NECRO_WINDOW
    values: dict[str, Any] = {
        "c_creator": person.id,
        "c_post": post.id,
        "c_parent": parent.id if parent else None,
        "c_content": content,
        "c_ap_prefix": here.url("comment", ""),
        "c_path_prefix": f"{parent.path if parent else '0'}.",
        "c_depth": parent.depth + 1 if parent else 0,
        "c_locked": parent.locked if parent else False,
        "c_language": language_id,
        "c_at": at,
        "c_hot": ranking.hot_rank(1, at, at),
        "c_ancestors": [int(part) for part in parent.path.split(".")[1:]] if parent else [],
        "c_necro": at if person.id != post.creator_id and fresh else None,
        "rank_now": at,
        "c_active_month": community.users_active_month,
        "c_community": community.id,
        "c_site": here.local_site_id,
        "c_shard": counter_shards.shard_of(session.info),
        "c_recipient": to if notified and account is not None else None,
    }
    row = (await session.execute(_writing(), values)).one()
    comment = Comment(**row._mapping)
    await record(
        session,
        CommentCreated(
            actor_id=person.id,
            comment_id=comment.id,
            notified=(account,) if values["c_recipient"] is not None else (),
            elsewhere=bool(elsewhere),
        ),
    )
    return comment


@lru_cache(maxsize=1)
def _checking() -> Select[Any]:
    """Post, community, author (None: no such person), parent (None: none asked, or no such comment), whether the
    author is banned there, the person a reply notifies (the parent's author, else the post's), their local user
    (None: not ours), whether they are to be notified (not the author, not muted, hiding neither the author nor
    the community), whether another server could hear of the comment, and whether anyone's notification mode
    wants every comment of the post. Parameters: post_id, person_id, parent, at."""
    parent = aliased(Comment, name="parent")
    person_id = bindparam("person_id", type_=Integer)
    to = func.coalesce(parent.creator_id, Post.creator_id)
    mode = func.coalesce(
        select(PostNotifications.mode)
        .where(PostNotifications.person_id == to, PostNotifications.post_id == Post.id)
        .scalar_subquery(),
        select(CommunityNotifications.mode)
        .where(CommunityNotifications.person_id == to, CommunityNotifications.community_id == Community.id)
        .scalar_subquery(),
        notification_modes.DEFAULT,
    )
    account = select(LocalUser.id).where(LocalUser.person_id == to).limit(1).scalar_subquery()
    hidden = hides(to, person_id, Community.id, Community.instance_id)
    notified = and_(to != person_id, mode != notification_modes.MUTE, ~hidden)
    followed_elsewhere = exists().where(
        CommunityFollower.community_id == Community.id, CommunityFollower.remote, CommunityFollower.pending.is_(False)
    )
    author_elsewhere = exists().where(Person.id == to, Person.local.is_(False))
    wanted = exists().where(
        PostNotifications.post_id == Post.id, PostNotifications.mode == "all_comments"
    ) | exists().where(
        CommunityNotifications.community_id == Community.id, CommunityNotifications.mode == "all_posts_and_comments"
    )
    person = aliased(Person, name="author")
    return (
        select(
            Post,
            Community,
            person,
            parent,
            community_ban_active(person_id, Community.id, bindparam("at", type_=DateTime(timezone=True))),
            to,
            account,
            notified,
            (Community.local.is_(False) | followed_elsewhere | author_elsewhere),
            wanted,
        )
        .join(Community, Community.id == Post.community_id)
        .outerjoin(person, person.id == person_id)
        .outerjoin(parent, parent.id == bindparam("parent", type_=Integer))
        .where(Post.id == bindparam("post_id", type_=Integer))
    )


@lru_cache(maxsize=1)
def _writing() -> Insert:
    """The comment's INSERT, answering its row, with every other write as a CTE, in the order of domain.counters'
    locks (ancestors, post, person, community, site). Parameters: those `create` binds (prefixed `c_`: an
    UPDATE takes a parameter named as one of its columns to be a value for it)."""
    comment, like, post = Comment.__table__, CommentLike.__table__, Post.__table__
    person, community, shard = Person.__table__, Community.__table__, CounterShard.__table__
    reply = CommentReply.__table__

    def p(name: str, type_: Any = Integer) -> Any:
        return bindparam(f"c_{name}", type_=type_)

    at = p("at", DateTime(timezone=True))
    new = select(func.nextval("comment_id_seq").label("id")).cte("new")
    liked = postgresql.insert(like).from_select(
        ["comment_id", "person_id", "score", "published"], select(new.c.id, p("creator"), literal(1), at)
    )
    ancestors = (
        update(comment)
        .where(comment.c.id == any_(p("ancestors", ARRAY(Integer))))
        .values(child_count=comment.c.child_count + 1)
    )
    necro = func.coalesce(p("necro", DateTime(timezone=True)), post.c.newest_comment_time_necro)
    rank_now = now()  # a placeholder: each comment binds its own `rank_now`
    counted = (
        update(post)
        .where(post.c.id == p("post"))
        .values(
            comments=post.c.comments + 1,
            newest_comment_time=at,
            newest_comment_time_necro=necro,
            hot_rank=ranking.hot_rank_sql(post.c.score, post.c.published, rank_now),
            hot_rank_active=ranking.hot_rank_sql(post.c.score, necro, rank_now),
            scaled_rank=ranking.scaled_rank_sql(post.c.score, post.c.published, rank_now, p("active_month")),
            controversy_rank=ranking.controversy_rank_sql(post.c.upvotes, post.c.downvotes),
        )
        .returning((post.c.deleted.is_(False) & post.c.removed.is_(False)).label("visible"))
        .cte("counted")
    )
    author = (
        update(person)
        .where(person.c.id == p("creator"))
        .values(comment_count=person.c.comment_count + 1, comment_score=person.c.comment_score + 1)
    )
    # a community counts the comments of its visible posts (the post may have gone meanwhile)
    in_community = (
        update(community)
        .where(community.c.id == p("community"), select(counted.c.visible).scalar_subquery())
        .values(comments=community.c.comments + 1)
    )
    site = postgresql.insert(shard).values(
        scope="local_site", row_id=p("site"), name="comments", shard=p("shard"), value=1
    )
    site = site.on_conflict_do_update(
        index_elements=["scope", "row_id", "name", "shard"], set_={"value": shard.c.value + site.excluded.value}
    )
    recipient = p("recipient")
    replied = postgresql.insert(reply).from_select(
        ["recipient_id", "comment_id", "read", "published"],
        select(recipient, new.c.id, literal(False), at).where(recipient.is_not(None)),
    )
    columns = {
        "id": new.c.id,
        "creator_id": p("creator"),
        "post_id": p("post"),
        "parent_id": p("parent"),
        "content": p("content", String),
        "removed": literal(False),
        "deleted": literal(False),
        "ap_id": p("ap_prefix", String) + cast(new.c.id, String),
        "local": literal(True),
        "path": p("path_prefix", String) + cast(new.c.id, String),
        "depth": p("depth"),
        "distinguished": literal(False),
        "locked": p("locked", Boolean),
        "language_id": p("language"),
        "published": at,
        "score": literal(1),
        "upvotes": literal(1),
        "downvotes": literal(0),
        "child_count": literal(0),
        "hot_rank": p("hot", Float),
        "controversy_rank": literal(0.0),
    }
    return (
        postgresql.insert(comment)
        .from_select(list(columns), select(*columns.values()))
        .returning(*comment.c)
        .add_cte(
            new,
            liked.cte("liked"),
            ancestors.cte("ancestors"),
            counted,
            author.cte("author"),
            in_community.cte("in_community"),
            site.cte("site"),
            replied.cte("replied"),
        )
    )
