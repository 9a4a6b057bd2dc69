"""What moderators do to content: remove and restore, lock (posts, comment subtrees), feature, distinguish;
admins remove and hide communities.

Every action checks the actor's standing in the content's community, changes the row, fixes the counts a removal
changes, writes the modlog and records an event (federation sends it on) in one transaction.
"""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import Comment, CommentReport, Community, LocalSite, Post, PostReport
from agora.domain import comments, community_tags, counters, edit_history, limits, posts
from agora.domain.events import CommentModerated, CommunityModerated, PostModerated, PostUpdated, record
from agora.domain.modlog import Kind, write
from agora.domain.permissions import Acting, get_community, require_admin, require_mod_or_admin
from agora.domain.site import local_site
from agora.errors import AgoraError, Code


async def remove_post(
    session: AsyncSession, here: LocalInstance, actor: Acting, post_id: int, removed: bool, reason: str | None
) -> Post:
    reason = limits.check_mod_reason(reason)
    post = await posts.get_post(session, post_id, lock=True)
    await require_mod_or_admin(session, actor, post.community_id)
    if post.removed != removed:
        post.removed = removed
        await session.flush()
        if not post.deleted:
            await posts.count_visibility_change(session, here, post, visible=not removed)
    if removed:
        await _resolve_reports(session, PostReport, PostReport.post_id, post.id, actor.person_id)
    await write(
        session,
        Kind.remove_post,
        actor.person_id,
        flag=removed,
        post_id=post.id,
        community_id=post.community_id,
        reason=reason,
    )
    await record(session, PostModerated(actor.person_id, post.id, "remove", removed, reason))
    return post


async def lock_post(session: AsyncSession, actor: Acting, post_id: int, locked: bool) -> Post:
    post = await posts.get_post(session, post_id, lock=True)
    await require_mod_or_admin(session, actor, post.community_id)
    post.locked = locked
    await session.flush()
    await write(session, Kind.lock_post, actor.person_id, flag=locked, post_id=post.id, community_id=post.community_id)
    await record(session, PostModerated(actor.person_id, post.id, "lock", locked))
    return post


async def mod_edit_post(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    post_id: int,
    *,
    nsfw: bool | None,
    tags: list[int] | None,
) -> Post:
    """Lemmy 1.0's moderator edit of a post's metadata: its NSFW mark and, when `tags` is given, its community
    tags. Not a modlog entry, as in Lemmy; the post's Update federates as the author's own edit does."""
    post = await posts.get_post(session, post_id, lock=True)
    await require_mod_or_admin(session, actor, post.community_id)
    before = edit_history.snapshot(post)
    if nsfw is not None:
        post.nsfw = posts.nsfw_allowed(await local_site(session, here), nsfw)
    if tags is not None:
        await community_tags.set_post_tags(session, post.id, post.community_id, tags)
    edit_history.edited(session, post, before, actor.person_id)
    await session.flush()
    await record(session, PostUpdated(actor_id=actor.person_id, post_id=post.id))
    return post


async def feature_post(session: AsyncSession, actor: Acting, post_id: int, featured: bool, feature_type: str) -> Post:
    """Pin a post on its community page (its moderators) or on the instance's front page (admins only)."""
    post = await posts.get_post(session, post_id, lock=True)
    if feature_type == "Local":
        require_admin(actor)
        post.featured_local = featured
    elif feature_type == "Community":
        await require_mod_or_admin(session, actor, post.community_id)
        post.featured_community = featured
    else:
        raise AgoraError(Code.invalid_body_field, "feature_type must be Local or Community")
    await session.flush()
    in_community = feature_type == "Community"
    await write(
        session,
        Kind.feature_post,
        actor.person_id,
        flag=featured,
        post_id=post.id,
        community_id=post.community_id,
        featured_community=in_community,
    )
    action = "feature_community" if in_community else "feature_local"
    await record(session, PostModerated(actor.person_id, post.id, action, featured))
    return post


async def remove_comment(
    session: AsyncSession, here: LocalInstance, actor: Acting, comment_id: int, removed: bool, reason: str | None
) -> Comment:
    reason = limits.check_mod_reason(reason)
    comment = await comments.get_comment(session, comment_id, lock=True)
    post = await posts.get_post(session, comment.post_id)
    await require_mod_or_admin(session, actor, post.community_id)
    if comment.removed != removed:
        comment.removed = removed
        await session.flush()
        if not comment.deleted:
            await comments.count_visibility_change(session, here, comment, visible=not removed)
    if removed:
        await _resolve_reports(session, CommentReport, CommentReport.comment_id, comment.id, actor.person_id)
    await _log_comment_action(session, Kind.remove_comment, actor, comment, post, removed, reason)
    await record(session, CommentModerated(actor.person_id, comment.id, "remove", removed, reason))
    return comment


async def _log_comment_action(
    session: AsyncSession, kind: Kind, actor: Acting, comment: Comment, post: Post, flag: bool, reason: str | None
) -> None:
    await write(
        session,
        kind,
        actor.person_id,
        flag=flag,
        comment_id=comment.id,
        post_id=post.id,
        other_person_id=comment.creator_id,
        community_id=post.community_id,
        reason=reason,
    )


async def distinguish_comment(session: AsyncSession, actor: Acting, comment_id: int, distinguished: bool) -> Comment:
    """A moderator marks their own comment as speaking for the moderators (Lemmy's rule: only their own)."""
    comment = await comments.get_comment(session, comment_id, lock=True)
    post = await posts.get_post(session, comment.post_id)
    await require_mod_or_admin(session, actor, post.community_id)
    if comment.creator_id != actor.person_id:
        raise AgoraError(Code.no_comment_edit_allowed)
    comment.distinguished = distinguished
    await session.flush()
    await record(session, CommentModerated(actor.person_id, comment.id, "distinguish", distinguished))
    return comment


async def lock_comment(
    session: AsyncSession, actor: Acting, comment_id: int, locked: bool, reason: str | None
) -> Comment:
    """A moderator locks (or unlocks) a comment and everything below it: no new replies in that subtree."""
    reason = limits.check_mod_reason(reason)
    comment = await comments.get_comment(session, comment_id, lock=True)
    post = await posts.get_post(session, comment.post_id)
    await require_mod_or_admin(session, actor, post.community_id)
    await session.execute(
        update(Comment)
        .where(Comment.post_id == post.id, or_(Comment.id == comment.id, Comment.path.startswith(f"{comment.path}.")))
        .values(locked=locked)
        .execution_options(synchronize_session=False)
    )
    comment.locked = locked
    await _log_comment_action(session, Kind.lock_comment, actor, comment, post, locked, reason)
    await record(session, CommentModerated(actor.person_id, comment.id, "lock", locked, reason))
    return comment


async def remove_community(
    session: AsyncSession, here: LocalInstance, actor: Acting, community_id: int, removed: bool, reason: str | None
) -> Community:
    require_admin(actor)
    reason = limits.check_mod_reason(reason)
    community = await get_community(session, community_id, lock=True)  # two toggles at once count once
    if community.removed != removed:
        community.removed = removed
        community.updated = now()
        if community.local and not community.deleted:
            await counters.bump(session, LocalSite, here.local_site_id, communities=-1 if removed else 1)
        await session.flush()
    await write(session, Kind.remove_community, actor.person_id, flag=removed, community_id=community.id, reason=reason)
    await record(session, CommunityModerated(actor.person_id, community.id, "remove", removed, reason))
    return community


async def hide_community(
    session: AsyncSession, actor: Acting, community_id: int, hidden: bool, reason: str | None
) -> Community:
    """Admins keep a community out of All listings without removing it."""
    require_admin(actor)
    reason = limits.check_mod_reason(reason)
    community = await get_community(session, community_id)
    community.hidden = hidden
    await session.flush()
    await write(session, Kind.hide_community, actor.person_id, flag=hidden, community_id=community.id, reason=reason)
    await record(session, CommunityModerated(actor.person_id, community.id, "hide", hidden, reason))
    return community


async def _resolve_reports(
    session: AsyncSession,
    model: type[PostReport] | type[CommentReport],
    column: InstrumentedAttribute[int],
    target_id: int,
    resolver_id: int,
) -> None:
    """Removing reported content settles its open reports (Lemmy 0.19 does the same)."""
    await session.execute(
        update(model)
        .where(column == target_id, model.resolved.is_(False))
        .values(resolved=True, resolver_id=resolver_id, updated=now())
    )
