"""Purges: an admin deletes a person, community, post or comment for good, rows and all.

Deleting a row cascades to what hangs off it (comments, votes, saves, reports, follows); before that, every count
the vanishing rows were part of is taken back, so aggregates stay exact. The rows are locked as they are read, so
the scores and flags taken back are the ones the counts hold.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import (
    Comment,
    CommentLike,
    Community,
    LocalUser,
    Person,
    Post,
    PostLike,
)
from agora.domain import comments, communities, counters, limits, polls, posts, released_images, votes
from agora.domain.events import ContentPurged, record
from agora.domain.modlog import Kind, write
from agora.domain.permissions import Acting, get_community, get_person, require_admin
from agora.errors import AgoraError, Code

Locked = TypeVar("Locked", Post, Comment)


async def purge_post(
    session: AsyncSession, here: LocalInstance, actor: Acting, post_id: int, reason: str | None
) -> None:
    require_admin(actor)
    reason = limits.check_mod_reason(reason)
    post = await posts.get_post(session, post_id, lock=True)
    community_id, ap_id = post.community_id, post.ap_id
    released_images.note_purged(session, post.url, post.thumbnail_url)
    await _forget_post(session, here, post)
    await write(session, Kind.purge_post, actor.person_id, community_id=community_id, reason=reason)
    await record(session, ContentPurged(actor.person_id, "post", ap_id))


async def purge_comment(
    session: AsyncSession, here: LocalInstance, actor: Acting, comment_id: int, reason: str | None
) -> None:
    require_admin(actor)
    reason = limits.check_mod_reason(reason)
    comment = await comments.get_comment(session, comment_id, lock=True)
    post_id, ap_id = comment.post_id, comment.ap_id
    await _forget_comment_tree(session, here, comment)
    await write(session, Kind.purge_comment, actor.person_id, post_id=post_id, reason=reason)
    await record(session, ContentPurged(actor.person_id, "comment", ap_id))


async def purge_community(
    session: AsyncSession, here: LocalInstance, actor: Acting, community_id: int, reason: str | None
) -> None:
    require_admin(actor)
    reason = limits.check_mod_reason(reason)
    community = await get_community(session, community_id, lock=True)
    ap_id = community.actor_id
    for post in await _locked(session, select(Post).where(Post.community_id == community.id).order_by(Post.id)):
        await _forget_post(session, here, post)
    if community.local and not (community.deleted or community.removed):
        counters.bump_site_at_commit(session, here, communities=-1)
    await session.execute(delete(Community).where(Community.id == community.id))
    await write(session, Kind.purge_community, actor.person_id, reason=reason)
    await record(session, ContentPurged(actor.person_id, "community", ap_id))


async def purge_person(
    session: AsyncSession, here: LocalInstance, actor: Acting, person_id: int, reason: str | None
) -> None:
    require_admin(actor)
    reason = limits.check_mod_reason(reason)
    person = await get_person(session, person_id)
    user = (await session.execute(select(LocalUser).where(LocalUser.person_id == person.id))).scalar_one_or_none()
    if user is not None and user.admin:
        raise AgoraError(Code.not_higher_admin, "remove the person's admin rights before purging them")
    ap_id = person.actor_id
    # Their votes leave the scores of what they voted on.
    for post_id in (await session.execute(select(PostLike.post_id).where(PostLike.person_id == person.id))).scalars():
        await votes.apply_post_vote(session, await posts.get_post(session, post_id, lock=True), person.id, 0)
    liked_comments = select(CommentLike.comment_id).where(CommentLike.person_id == person.id)
    for comment_id in (await session.execute(liked_comments)).scalars().all():
        comment = await comments.get_comment(session, comment_id, lock=True)
        await votes.apply_comment_vote(session, comment, person.id, 0)
    await polls.withdraw_votes(session, person.id)
    own_comments = select(Comment.id).where(Comment.creator_id == person.id).order_by(Comment.path)
    for comment_id in (await session.execute(own_comments)).scalars().all():
        found = await _locked(session, select(Comment).where(Comment.id == comment_id))
        if found:  # not already gone with an ancestor
            await _forget_comment_tree(session, here, found[0])
    for post in await _locked(session, select(Post).where(Post.creator_id == person.id).order_by(Post.id)):
        await _forget_post(session, here, post)
    await communities.remove_follows_of(session, person.id)
    account = delete(LocalUser).where(LocalUser.person_id == person.id).returning(LocalUser.accepted_application)
    if (await session.execute(account)).scalar_one_or_none() and not person.deleted:
        counters.bump_site_at_commit(session, here, users=-1)
    await session.execute(delete(Person).where(Person.id == person.id))
    await write(session, Kind.purge_person, actor.person_id, reason=reason)
    await record(session, ContentPurged(actor.person_id, "person", ap_id))


async def _forget_post(session: AsyncSession, here: LocalInstance, post: Post) -> None:
    """Take a post and its comments out of every count, then delete it (its comments go with it)."""
    visible_post = not (post.deleted or post.removed)
    for comment in await _locked(session, select(Comment).where(Comment.post_id == post.id).order_by(Comment.id)):
        if not (comment.deleted or comment.removed):
            await _uncount_comment_author(session, here, comment)
    if visible_post:
        await posts.count_visibility_change(session, here, post, visible=False)
    await session.execute(delete(Post).where(Post.id == post.id))


async def _forget_comment_tree(session: AsyncSession, here: LocalInstance, comment: Comment) -> None:
    """Take a comment and its replies out of every count, then delete them."""
    subtree = select(Comment).where(or_(Comment.id == comment.id, Comment.path.like(f"{comment.path}.%")))
    for row in await _locked(session, subtree.order_by(Comment.id)):
        if not (row.deleted or row.removed):
            await comments.count_visibility_change(session, here, row, visible=False)
    await session.execute(delete(Comment).where(Comment.id == comment.id))


async def _uncount_comment_author(session: AsyncSession, here: LocalInstance, comment: Comment) -> None:
    # At commit, in the lock order of domain.counters: purges of posts side by side lock authors and the site
    # in one order, or they deadlock (an author of one post's comments wrote the other post).
    counters.bump_at_commit(session, Person, comment.creator_id, comment_count=-1, comment_score=-comment.score)
    if comment.local:
        counters.bump_site_at_commit(session, here, comments=-1)


async def _locked(session: AsyncSession, query: Select[Locked]) -> list[Locked]:
    """The rows of `query`, locked (FOR NO KEY UPDATE) and read as they stand once locked."""
    locked = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    return list((await session.execute(locked)).scalars().all())
