"""Polls going out: our members' votes on other servers' polls, and our polls' new counts.

A vote is a Create{Note} with the choice as its `name`, to the poll's author alone (Mastodon's shape, which PieFed
reads too), one for each choice made. Its id is a fragment of the voter's URL, as Mastodon's are: nothing serves
it, and a vote is never changed or taken back. A poll made here goes out again as an Update{Question} when its
counts change, to the community (announced to its followers) and to the voters' own servers.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.domain import events
from agora.federation import outbox
from agora.federation.activities.build.content import page_activity, post_parts
from agora.federation.activities.build.envelopes import rows
from agora.federation.objects import question
from agora.queries import polls as poll_queries


async def poll_voted(session: AsyncSession, here: LocalInstance, event: events.PollVoted) -> None:
    parts = await post_parts(session, event.post_id)
    if parts is None or parts["post"]["local"] or parts["person"]["local"]:
        return
    author = parts["person"]
    poll = await poll_queries.poll_of(session, event.post_id)
    voter = (await rows(session, person=event.actor_id))["person"]
    names = {c.id: c.name for c in poll.choices} if poll is not None else {}
    inbox = author["shared_inbox_url"] or author["inbox_url"]
    for choice_id in event.choice_ids:
        if choice_id not in names:
            continue
        note_id = f"{voter['actor_id']}#votes/{event.post_id}-{choice_id}"
        poll_url, choice = parts["post"]["ap_id"], names[choice_id]
        note = question.vote_note(note_id, voter["actor_id"], poll_url, author["actor_id"], choice)
        activity = {
            "id": f"{note_id}/activity",
            "type": "Create",
            "actor": voter["actor_id"],
            "to": [author["actor_id"]],
            "object": note,
        }
        await outbox.queue(session, here, outbox.Delivery(activity, voter["actor_id"], inboxes=[inbox]))


async def poll_counted(session: AsyncSession, here: LocalInstance, event: events.PollCounted) -> None:
    post = (await rows(session, post=event.post_id)).get("post")
    if post is None or not post["local"]:
        return
    voters = await poll_queries.remote_voter_inboxes(session, event.post_id)
    await page_activity(session, here, event.post_id, "Update", voters)
