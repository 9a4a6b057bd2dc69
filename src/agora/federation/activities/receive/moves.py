"""Move: a person of another server moved to a new account (Mastodon's `Move`, which Agora also sends), or an
Agora community to a new community.

Believed only as far as it can be checked: `apply` already made sure the old account's own server signed it; the
new account's aliases are read from the new account's own server, fetched now, never from the Move. What an
Agora Move carries (`agoraCarried`: follows, saves, blocks) is the old account's word about its own choices, and
is applied only when the new account is one of our members; a community's Move names its moderators, who
moderate the new community when it is ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora.domain import community_moves, moves
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity
from agora.federation.activities.build.moves import CARRIED
from agora.federation.objects import reading
from agora.outbound import OutboundError

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

CARRIED_FETCHES = 200  # objects of the member's lists this instance may fetch to carry them over
RESOLVED = ("followed_communities", "blocked_communities", "blocked_users", "saved_posts", "saved_comments")


async def move(ctx: ActivityContext, activity: Activity) -> str | None:
    old_url = activity.actor
    if activity.object_url() != old_url:
        raise AgoraError(Code.invalid_activity, "only an account or community moves itself")
    target_url = activity.object_url("target")
    if target_url == old_url:
        raise AgoraError(Code.invalid_activity, "an actor cannot move to itself")
    to_us = reading.host(target_url) == ctx.here.domain
    # The old actor of a move to us is fetched when no one here knew it; elsewhere an unknown one is no news.
    found = await ctx.resolve(old_url) if to_us else await ctx.lookup(old_url)
    if found is None:
        return "a Move of someone no one here knows"
    kind, old_id = found
    if kind not in ("person", "community"):
        raise AgoraError(Code.invalid_activity, f"a {kind} does not move")
    # The target's aliases as its own server serves them now (ours: as we hold them).
    target = await ctx.lookup(target_url) if to_us else await ctx.refetch(target_url)
    if target is None or target[0] != kind:
        raise AgoraError(Code.invalid_activity, f"{target_url} is not a {kind}")
    extension = activity.document.get(CARRIED) if to_us else None
    if kind == "community":
        moderators = await _moderators(ctx, extension) if isinstance(extension, dict) else None
        async with ctx.state.db.write() as session:
            await community_moves.arrive(session, old_id, target[1], moderators)
        return None
    carried = await _carried(ctx, extension) if isinstance(extension, dict) else None
    async with ctx.state.db.write() as session:
        await moves.arrive(session, ctx.here, old_id, target[1], carried)
    return None


async def _moderators(ctx: ActivityContext, document: dict) -> list[int]:
    """Our ids of the moderators a community's Move names (fetched when new here; the unreachable left out)."""
    found: list[int] = []
    urls = document.get("moderators")
    for url in urls[: community_moves.MODERATORS_MAX] if isinstance(urls, list) else []:
        try:
            found.append(await ctx.person_id(url))
        except (AgoraError, OutboundError):
            continue
    return found


async def _carried(ctx: ActivityContext, document: dict) -> dict[str, list[str]]:
    """The lists of an Agora Move, each capped; what we do not know yet is fetched within a budget of its own
    (what cannot be fetched is left out, as a settings backup leaves out what it does not know)."""
    lists = {
        name: [item for item in document[name][: moves.LIST_MAX] if isinstance(item, str)]
        for name in moves.CARRIED
        if isinstance(document.get(name), list)
    }
    ctx.budget = max(ctx.budget, CARRIED_FETCHES)
    for name in RESOLVED:
        for url in lists.get(name, []):
            if ctx.budget <= 0:
                break
            try:
                await ctx.resolve(url)
            except (AgoraError, OutboundError):
                continue
    return lists
