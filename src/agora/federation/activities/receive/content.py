"""Create / Update of posts, comments and private messages; Delete and Undo Delete by their authors, or as a
moderator's removal (a Delete by someone else, with its reason in `summary`, as Lemmy sends it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

from agora.domain import comments, communities, messages, moderation, posts, remote
from agora.domain.permissions import RemoteActing
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity
from agora.federation.activities.receive import polls
from agora.federation.objects import question, reading
from agora.federation.store import acting_for, existing_row


async def create_or_update(ctx: ActivityContext, activity: Activity) -> str | None:
    """The object is stored as its author's server sent it (relayed in an Announce, `announced` made sure this
    copy is the author's server's word); a bare URL is fetched from its own host."""
    document = activity.object
    if isinstance(document, str):
        ctx.forward_for = document
        await ctx.resolve(document, solicited=False)
        return None
    if not isinstance(document, dict):
        raise AgoraError(Code.invalid_activity, "the object is not an object")
    if question.is_vote(document):
        return await polls.note_vote(ctx, activity, document)
    object_id = reading.url(document.get("id"), "object.id")
    if reading.host(object_id) == ctx.here.domain:
        return "our own object"
    author = reading.url(document.get("attributedTo"), "object.attributedTo")
    if author != activity.actor:
        raise AgoraError(Code.invalid_activity, "only the author creates or updates a post or comment")
    ctx.forward_for = object_id
    await ctx.store_pushed(document, solicited=False)
    return None


async def _community_of(session: AsyncSession, kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """The community of a post or a comment row; any other kind of row has none (invalid_activity)."""
    if kind == "post":
        return await existing_row(session, "community", row["community_id"])
    if kind == "comment":
        post = await existing_row(session, "post", row["post_id"])
        return await existing_row(session, "community", post["community_id"])
    raise AgoraError(Code.invalid_activity, f"a {kind} is in no community")


async def _set_deleted(ctx: ActivityContext, activity: Activity, deleted: bool) -> str | None:
    target = activity.object_url()
    found = await ctx.lookup(target)
    if found is None:
        return "nothing we know was deleted"
    kind, target_id = found
    if ctx.via is not None and kind in ("person", "message"):
        raise AgoraError(Code.invalid_activity, f"a community does not announce the deletion of a {kind}")
    if kind == "community":
        ctx.check_via(target_id)
    if kind == "person":
        async with ctx.state.db.write() as session:
            await existing_row(session, kind, target_id)
            if activity.actor != target or not deleted:
                raise AgoraError(Code.invalid_activity, "only a person deletes their own account")
            remove_data = reading.flag(activity.document.get("removeData"))
            await remote.delete_person(session, ctx.here, target_id, remove_content=remove_data)
        return None
    actor_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        row = await existing_row(session, kind, target_id)
        if kind == "message":
            await messages.set_deleted(session, RemoteActing(actor_id), target_id, deleted)
            return None
        if kind == "community":
            acting = acting_for(actor_id, activity.actor, row["actor_id"])
            if "summary" in activity.document and acting.admin:  # Lemmy: a summary, even empty, means a removal
                await moderation.remove_community(session, ctx.here, acting, target_id, deleted, activity.summary)
            else:
                await communities.set_deleted(session, ctx.here, acting, target_id, deleted)
            return None
        community = await _community_of(session, kind, row)
        ctx.check_via(community["id"])
        author = await existing_row(session, "person", row["creator_id"])
        acting = acting_for(actor_id, activity.actor, community["actor_id"])
        if author["actor_id"] == activity.actor:
            change = posts.set_deleted if kind == "post" else comments.set_deleted
            await change(session, ctx.here, acting, target_id, deleted)
        else:
            remove = moderation.remove_post if kind == "post" else moderation.remove_comment
            await remove(session, ctx.here, acting, target_id, deleted, activity.reason)
        await ctx.forward(session, community["id"])
    return None


async def delete(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _set_deleted(ctx, activity, True)


async def undo_delete(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _set_deleted(ctx, activity, False)
