"""Another server's multi-community (a Lemmy 1.0 Feed) into our database, with the communities it lists.

The Feed, its `following` collection and each community are taken only from their own hosts (each is fetched by
its id); the owner is fetched as a Person of the Feed's server. Entries are bounded by the domain's limit and by the
context's fetch budget; a community that cannot be read is left out, as Lemmy leaves it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora.domain import multi_communities
from agora.errors import AgoraError, Code
from agora.federation.objects import feed, reading
from agora.outbound import OutboundError

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext


async def store(ctx: ActivityContext, document: dict) -> int:
    """Our id for the fetched Feed `document`, stored or refreshed, its entries set to what it lists now."""
    parsed = feed.parse(document)
    if not reading.same_host(parsed.ap_id, parsed.owner):
        raise AgoraError(Code.invalid_activity, "a Feed's owner lives on its own server")
    owner_id = await ctx.person_id(parsed.owner)
    collection = await ctx.fetch(parsed.following)
    if reading.url(collection.get("id"), "id") != parsed.following:
        raise AgoraError(Code.invalid_activity, "the following collection answered for another id")
    community_ids = []
    for url in feed.items(collection, multi_communities.ENTRY_LIMIT):
        try:
            community_ids.append(await ctx.community_id(url))
        except (AgoraError, OutboundError):
            continue
    fields = multi_communities.RemoteFeed(
        ap_id=parsed.ap_id,
        domain=reading.host(parsed.ap_id),
        name=parsed.name,
        title=parsed.title,
        summary=parsed.summary,
        sidebar=parsed.sidebar,
        inbox_url=parsed.inbox,
        following_url=parsed.following,
        public_key=parsed.public_key,
    )
    async with ctx.state.db.write() as session:
        multi = await multi_communities.upsert_remote(session, fields, owner_id)
        await multi_communities.set_remote_entries(session, multi.id, community_ids)
        return multi.id
