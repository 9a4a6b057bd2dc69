"""Comments: create (with its materialised path), edit, delete/restore, save."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert
from agora.db.models import Comment, CommentLike, CommentSaved, Community, Person, Post
from agora.db.rows import get_row
from agora.domain import (
    blocked_urls,
    comment_inserts,
    communities,
    counters,
    edit_history,
    limits,
    marks,
    posts,
    ranking,
)
from agora.domain.events import CommentCreated, CommentDeleted, CommentUpdated, record
from agora.domain.permissions import (
    Acting,
    Origin,
    get_community,
    get_person,
    is_mod_or_admin,
    require_can_write_in,
)
from agora.domain.site import local_site
from agora.errors import AgoraError, Code


async def get_comment(session: AsyncSession, comment_id: int, *, lock: bool = False) -> Comment:
    return await get_row(session, Comment, comment_id, AgoraError(Code.couldnt_find_comment), lock=lock)


def ancestor_ids(path: str) -> list[int]:
    """Ids of a comment's ancestors from its path "0.12.45.78" → [12, 45] (itself excluded)."""
    return [int(part) for part in path.split(".")[1:-1]]


async def create(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    *,
    post_id: int,
    content: str,
    parent_id: int | None = None,
    language_id: int | None = None,
    origin: Origin | None = None,
) -> Comment:
    """A member comments; with `origin`, a comment arriving by federation (same rules, its own id and time)."""
    if origin is None and upsert.dialect_name(session) == "postgresql":
        made = await comment_inserts.create(
            session, here, actor, post_id=post_id, content=content, parent_id=parent_id, language_id=language_id
        )
        if made is not None:
            return made
    site = await local_site(session, here)
    content = limits.check_comment(content)
    limits.check_slurs(site.slur_filter_regex, content)
    await blocked_urls.check(session, site, content)
    post = await posts.get_post(session, post_id)
    community = await get_community(session, post.community_id)
    person = await get_person(session, actor.person_id)
    await require_can_write_in(session, actor, person, community)
    posts.require_post_open(post)
    if post.locked:
        raise AgoraError(Code.locked)
    parent = None
    if parent_id is not None:
        parent = await get_comment(session, parent_id)
        if parent.post_id != post.id:
            raise AgoraError(Code.couldnt_create_comment, "parent comment belongs to another post")
        if parent.depth + 1 >= limits.COMMENT_DEPTH_MAX:
            raise AgoraError(Code.max_comment_depth_reached)
        if parent.locked and not await is_mod_or_admin(session, actor, community.id):
            raise AgoraError(Code.locked, "the comment replied to is locked")
    language_id = await communities.check_language(session, community.id, language_id)
    return await insert(
        session,
        here,
        post=post,
        parent=parent,
        creator=person,
        content=content,
        language_id=language_id,
        ap_id=origin.ap_id if origin else None,
        local=origin is None,
        published=origin.published_at() if origin else now(),
        community=community,
    )


async def insert(
    session: AsyncSession,
    here: LocalInstance,
    *,
    post: Post,
    parent: Comment | None,
    creator: Person,
    content: str,
    language_id: int,
    ap_id: str | None,
    local: bool,
    published: datetime,
    distinguished: bool = False,
    community: Community | None = None,
) -> Comment:
    """Store a comment and every count it changes (after `create` has checked the rules); `community`, the
    post's, when the caller has read it."""
    at = published
    comment = Comment(
        creator_id=creator.id,
        post_id=post.id,
        parent_id=parent.id if parent else None,
        content=content,
        ap_id=ap_id or f"{here.base_url}/comment/pending-{uuid.uuid4().hex}",
        local=local,
        path="0",
        depth=(parent.depth + 1) if parent else 0,
        distinguished=distinguished,
        locked=parent.locked if parent else False,  # a reply a moderator writes in a locked subtree stays in it
        language_id=language_id,
        published=at,
        score=1,
        upvotes=1,
        hot_rank=ranking.hot_rank(1, at, now()),
    )
    session.add(comment)
    await session.flush()
    comment.path = f"{parent.path if parent else '0'}.{comment.id}"
    if ap_id is None:
        comment.ap_id = here.url("comment", comment.id)
    session.add(CommentLike(comment_id=comment.id, person_id=creator.id, score=1, published=at))
    await session.flush()
    await counters.bump_many(session, Comment, ancestor_ids(comment.path), child_count=1)
    post_values = {"newest_comment_time": at}
    if creator.id != post.creator_id and at - post.published <= ranking.NECRO_WINDOW:
        post_values["newest_comment_time_necro"] = at
    # SQLite writers are serial (BEGIN IMMEDIATE), so the post and community this write read are current: the
    # ranks need not read them again. On PostgreSQL they are read next to the UPDATE, the post not being locked.
    current = (post, community) if community is not None and upsert.dialect_name(session) == "sqlite" else None
    post_visible = await posts.update_counts_and_ranks(
        session, post.id, deltas={"comments": 1}, values=post_values, locked=current
    )
    counters.bump_at_commit(session, Person, creator.id, comment_count=1, comment_score=1)
    if post_visible:  # a community counts the comments of its visible posts (the post may have gone meanwhile)
        counters.bump_at_commit(session, Community, post.community_id, comments=1)
    if local:
        counters.bump_site_at_commit(session, here, comments=1)
    await record(session, CommentCreated(actor_id=creator.id, comment_id=comment.id))
    return comment


async def edit(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    comment_id: int,
    *,
    content: str | None,
    language_id: int | None,
) -> Comment:
    comment = await get_comment(session, comment_id)
    if comment.creator_id != actor.person_id:
        raise AgoraError(Code.no_comment_edit_allowed)
    post = await posts.get_post(session, comment.post_id)
    community = await get_community(session, post.community_id)
    person = await get_person(session, actor.person_id)
    await require_can_write_in(session, actor, person, community)
    before = edit_history.snapshot(comment)
    if content is not None:
        site = await local_site(session, here)
        comment.content = limits.check_comment(content)
        limits.check_slurs(site.slur_filter_regex, comment.content)
        await blocked_urls.check(session, site, comment.content)
    if language_id is not None:
        comment.language_id = await communities.check_language(session, community.id, language_id)
    edit_history.edited(session, comment, before, actor.person_id)
    await session.flush()
    await record(session, CommentUpdated(actor_id=actor.person_id, comment_id=comment.id))
    return comment


async def set_deleted(
    session: AsyncSession, here: LocalInstance, actor: Acting, comment_id: int, deleted: bool
) -> Comment:
    comment = await get_comment(session, comment_id, lock=True)
    if comment.creator_id != actor.person_id:
        raise AgoraError(Code.no_comment_edit_allowed)
    if comment.deleted != deleted:
        comment.deleted = deleted
        await session.flush()
        if not comment.removed:
            await count_visibility_change(session, here, comment, visible=not deleted)
        await record(session, CommentDeleted(actor_id=actor.person_id, comment_id=comment.id, deleted=deleted))
    return comment


async def count_visibility_change(
    session: AsyncSession, here: LocalInstance, comment: Comment, *, visible: bool
) -> None:
    """A comment left or rejoined the counted set (deleted/removed toggled): fix every count that includes it.
    `comment` must be locked (its score is the one the counts hold)."""
    sign = 1 if visible else -1
    await counters.bump_many(session, Comment, ancestor_ids(comment.path), child_count=sign)
    community_id = await posts.count_comments(session, comment.post_id, sign)
    counters.bump_at_commit(session, Person, comment.creator_id, comment_count=sign, comment_score=sign * comment.score)
    if community_id is not None:  # the post is visible: its community counts its comments
        counters.bump_at_commit(session, Community, community_id, comments=sign)
    if comment.local:
        counters.bump_site_at_commit(session, here, comments=sign)


async def save(session: AsyncSession, actor: Acting, comment_id: int, save: bool) -> None:
    await get_comment(session, comment_id)
    await marks.set_mark(session, CommentSaved, actor.person_id, save, comment_id=comment_id)
