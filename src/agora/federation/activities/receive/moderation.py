"""Moderators' activities: Lock, Add / Remove (moderators, featured posts, removals), Block (bans), Flag (reports),
Resolve (of a report, Lemmy 1.0), Warn (Lemmy 1.0). Authority is checked by the domain, as for our own
moderators; `acting_for` lends a remote admin authority over their own server's communities and people only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

from agora.core.clock import now
from agora.domain import bans, communities, moderation, reports, warnings
from agora.domain.permissions import RemoteActing
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity, reason_of
from agora.federation.activities.receive import content
from agora.federation.objects import reading
from agora.federation.store import acting_for, existing_row
from agora.queries import reports as report_queries


async def _community_row(session: AsyncSession, kind: str, target_id: int) -> dict:
    """The community a post or comment is in."""
    row = await existing_row(session, kind, target_id)
    post = row if kind == "post" else await existing_row(session, "post", row["post_id"])
    return await existing_row(session, "community", post["community_id"])


async def _post_in_community(
    ctx: ActivityContext, activity: Activity
) -> tuple[int, dict[str, Any], RemoteActing] | None:
    """(post id, community row, acting moderator) for an activity on a post we have."""
    found = await ctx.lookup(activity.object_url())
    if found is None:
        return None
    kind, target_id = found
    if kind != "post":
        raise AgoraError(Code.invalid_activity, f"Agora locks and features posts, not a {kind}")
    moderator_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.read() as session:
        post = await existing_row(session, "post", target_id)
        community = await existing_row(session, "community", post["community_id"])
    ctx.check_via(community["id"])
    return target_id, community, acting_for(moderator_id, activity.actor, community["actor_id"])


async def _lock(ctx: ActivityContext, activity: Activity, locked: bool) -> str | None:
    found = await ctx.lookup(activity.object_url())
    if found is not None and found[0] == "comment":
        return await _lock_comment(ctx, activity, found[1], locked)
    target = await _post_in_community(ctx, activity)
    if target is None:
        return "a lock of a post we do not have"
    post_id, community, acting = target
    async with ctx.state.db.write() as session:
        await moderation.lock_post(session, acting, post_id, locked)
        await ctx.forward(session, community["id"])
    return None


async def _lock_comment(ctx: ActivityContext, activity: Activity, comment_id: int, locked: bool) -> str | None:
    """Lemmy 1.0 locks a comment's subtree with a Lock of the Note (an Undo of it unlocks)."""
    moderator_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.read() as session:
        community = await _community_row(session, "comment", comment_id)
    ctx.check_via(community["id"])
    acting = acting_for(moderator_id, activity.actor, community["actor_id"])
    async with ctx.state.db.write() as session:
        await moderation.lock_comment(session, acting, comment_id, locked, activity.reason)
        await ctx.forward(session, community["id"])
    return None


async def lock(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _lock(ctx, activity, True)


async def unlock(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _lock(ctx, activity, False)


def _collection_owner(target: str, name: str) -> str | None:
    """`…/c/main/moderators` → `…/c/main` (Lemmy also writes `…/c/main//featured`)."""
    stripped = target.rstrip("/")
    if not stripped.endswith(f"/{name}"):
        return None
    return stripped[: -len(name) - 1].rstrip("/")


async def _collection_change(ctx: ActivityContext, activity: Activity, added: bool) -> str | None:
    target = reading.url(activity.document.get("target"), "target", required=False)
    if target is None:
        if added:
            raise AgoraError(Code.invalid_activity, "an Add needs a target")
        return await _removal(ctx, activity)
    if owner := _collection_owner(target, "moderators"):
        community_id = await ctx.community_id(owner)
        ctx.check_via(community_id)
        person_id = await ctx.person_id(activity.object_url())
        moderator_id = await ctx.person_id(activity.actor)
        async with ctx.state.db.write() as session:
            acting = acting_for(moderator_id, activity.actor, owner)
            try:
                await communities.set_moderator(session, acting, community_id, person_id, added)
            except AgoraError as error:
                if error.code != Code.community_moderator_already_exists:
                    raise
                return "already a moderator"
            await ctx.forward(session, community_id)
        return None
    if owner := _collection_owner(target, "featured"):
        found = await _post_in_community(ctx, activity)
        if found is None:
            return "a feature of a post we do not have"
        post_id, community, acting = found
        if community["actor_id"] != owner:
            raise AgoraError(Code.invalid_activity, "the post is not in that community")
        async with ctx.state.db.write() as session:
            await moderation.feature_post(session, acting, post_id, added, "Community")
            await ctx.forward(session, community["id"])
        return None
    return "an Add or Remove of a collection Agora does not keep"


async def _removal(ctx: ActivityContext, activity: Activity) -> str | None:
    """A Remove without a target: some servers remove a post or comment this way (Lemmy sends a Delete)."""
    return await content.delete(ctx, activity)


async def add(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _collection_change(ctx, activity, True)


async def remove(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _collection_change(ctx, activity, False)


async def _ban(ctx: ActivityContext, activity: Activity, ban: bool) -> str | None:
    target = activity.object_url("target")
    person_url = activity.object_url()
    person_id = await ctx.person_id(person_url)
    moderator_id = await ctx.person_id(activity.actor)
    document = activity.document
    until = reading.when(document.get("endTime") or document.get("expires"))
    remove_data = reading.flag(document.get("removeData"))
    reason = activity.reason
    site_ban = target.rstrip("/") == f"{target.split('://', 1)[0]}://{reading.host(target)}"
    async with ctx.state.db.write() as session:
        if site_ban:
            # A server bans its own people from its site; we mirror it (their activities stop being accepted).
            acting = acting_for(moderator_id, activity.actor, person_url)
            if not acting.admin or not reading.same_host(target, person_url):
                raise AgoraError(Code.not_an_admin, "a site ban comes from the banned person's own server")
            kind = "site"
        else:
            community_id = await ctx.community_id(target)
            ctx.check_via(community_id)
            acting = acting_for(moderator_id, activity.actor, target)
            kind = "community"
        if ban and until is not None and until <= now():
            if remove_data:
                await bans.remove_content(session, ctx.here, person_id, community_id=None if site_ban else community_id)
            return "the ban had already expired when it arrived" + ("; the content is removed" if remove_data else "")
        expires = int(until.timestamp()) if ban and until is not None else None
        options: bans.BanTerms = {"ban": ban, "reason": reason, "expires": expires, "remove_data": remove_data and ban}
        if kind == "site":
            await bans.ban_from_site(session, ctx.here, acting, person_id, **options)
        else:
            await bans.ban_from_community(session, ctx.here, acting, community_id, person_id, **options)
            await ctx.forward(session, community_id)
    return None


async def block(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _ban(ctx, activity, True)


async def unblock(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _ban(ctx, activity, False)


async def flag(ctx: ActivityContext, activity: Activity) -> str | None:
    """A report: Lemmy flags one post or comment; Mastodon flags an account and some of its statuses."""
    reporter_id = await ctx.person_id(activity.actor)
    targets = reading.urls(activity.object, "object")
    written = activity.summary or reading.markdown(activity.document)  # Mastodon writes it in content
    reason = reason_of(written) or f"reported from {reading.host(activity.actor)}"
    reported = 0
    for target in targets[:20]:
        found = await ctx.lookup(target)
        if found is None or found[0] not in ("post", "comment"):
            continue
        async with ctx.state.db.write() as session:
            ctx.check_via((await _community_row(session, *found))["id"])
            acting = RemoteActing(reporter_id)
            if found[0] == "post":
                await reports.report_post(session, acting, found[1], reason)
            else:
                await reports.report_comment(session, acting, found[1], reason)
        reported += 1
    return None if reported else "the report names no post or comment of ours"


async def resolve(ctx: ActivityContext, activity: Activity) -> str | None:
    """Lemmy 1.0: a moderator resolved a report (the Flag it wraps)."""
    inner = activity.inner()
    if inner.type != "Flag":
        return f"a Resolve of a {inner.type}"
    target = await ctx.lookup(inner.object_url())
    reporter = await ctx.lookup(inner.actor)
    if target is None or reporter is None or target[0] not in ("post", "comment"):
        return "a Resolve of a report we do not have"
    moderator_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        report_id = await report_queries.find_id(session, target[0], target[1], reporter[1])
        if report_id is None:
            return "a Resolve of a report we do not have"
        community = await _community_row(session, *target)
        ctx.check_via(community["id"])
        acting = acting_for(moderator_id, activity.actor, community["actor_id"])
        if target[0] == "post":
            await reports.resolve_post_report(session, acting, report_id, True)
        else:
            await reports.resolve_comment_report(session, acting, report_id, True)
    return None


async def warn(ctx: ActivityContext, activity: Activity) -> str | None:
    """Lemmy 1.0's warning to an author: Agora has warnings too, in the author's inbox."""
    found = await ctx.lookup(activity.object_url())
    if found is None or found[0] not in ("post", "comment"):
        return "a warning about something we do not have"
    moderator_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        community = await _community_row(session, *found)
        ctx.check_via(community["id"])
        acting = acting_for(moderator_id, activity.actor, community["actor_id"])
        await warnings.warn(
            session,
            acting,
            post_id=found[1] if found[0] == "post" else None,
            comment_id=found[1] if found[0] == "comment" else None,
            reason=activity.reason,
        )
    return None
