"""Posts, comments, votes and private messages going out: Create / Update / Delete / Undo, Like / Dislike."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.domain import events
from agora.federation import outbox
from agora.federation.activities.build.envelopes import envelope, rows, undo
from agora.federation.objects import message, note, page, question, reading
from agora.queries import community_tags as tag_queries
from agora.queries import followers as follower_queries
from agora.queries import languages as language_queries
from agora.queries import persons as person_queries
from agora.queries import polls as poll_queries
from agora.queries import visibility
from agora.text.mentions import find_mentions


def _bare(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "@context"}


async def _heard_elsewhere(
    session: AsyncSession, here: LocalInstance, target: str, row_id: int, *, answers: bool = False
) -> bool:
    """Whether any other server could get the activity, asked before it is built. `answers`: a comment's own
    Create/Update, which also goes to the author it replies to and to people it mentions on other servers (a
    mention with another host is enough to build it: `comment_parts` finds out who that is)."""
    found = await follower_queries.audience(session, target, row_id)
    if found is None:
        return False  # no such row: the builder would find nothing either
    community_elsewhere, author_elsewhere, content = found
    if community_elsewhere:
        return True
    return answers and (author_elsewhere or any(not m.on(here.domain) for m in find_mentions(content)))


async def post_parts(session: AsyncSession, post_id: int) -> dict | None:
    found = await rows(session, post=post_id)
    post = found.get("post")
    if post is None:
        return None
    found |= await rows(session, community=post["community_id"], person=post["creator_id"])
    if not visibility.community_open_to(visibility.REMOTE, found["community"]):
        return None  # a local-only community never federates
    found["language"] = await language_queries.by_id(session, post["language_id"])
    return found


async def post_document(session: AsyncSession, parts: dict) -> dict:
    """A post as we send it: a Page, or a Question when it carries a poll."""
    post = parts["post"]
    carried = (await tag_queries.of_posts(session, [post["id"]])).get(post["id"])
    document = _bare(page.page(post, parts["person"], parts["community"], parts["language"], carried))
    poll = await poll_queries.poll_of(session, post["id"])
    return question.question(document, poll, post["name"]) if poll is not None else document


async def page_activity(
    session: AsyncSession, here: LocalInstance, post_id: int, kind: str, extra: list[str] | None = None
) -> None:
    """A Create or Update of the post, for the community and the `extra` inboxes (a poll's voters elsewhere)."""
    if not extra and not await _heard_elsewhere(session, here, "post", post_id):
        return
    parts = await post_parts(session, post_id)
    if parts is None:
        return
    community, creator = parts["community"], parts["person"]
    document = await post_document(session, parts)
    activity = envelope(here, kind, creator["actor_id"], document, community=community)
    await outbox.in_community(session, here, activity, creator["actor_id"], community, extra or ())


async def post_created(session: AsyncSession, here: LocalInstance, event: events.PostCreated) -> None:
    await page_activity(session, here, event.post_id, "Create")


async def post_updated(session: AsyncSession, here: LocalInstance, event: events.PostUpdated) -> None:
    await page_activity(session, here, event.post_id, "Update")


async def delete_activity(
    session: AsyncSession,
    here: LocalInstance,
    actor: str,
    object_id: str,
    community: dict,
    deleted: bool,
    summary: str | None = None,
) -> None:
    activity = envelope(here, "Delete", actor, object_id, community=community, summary=summary)
    if not deleted:
        activity = undo(here, actor, activity, community)
    await outbox.in_community(session, here, activity, actor, community)


async def post_deleted(session: AsyncSession, here: LocalInstance, event: events.PostDeleted) -> None:
    if not await _heard_elsewhere(session, here, "post", event.post_id):
        return
    parts = await post_parts(session, event.post_id)
    if parts is not None:
        await delete_activity(
            session, here, parts["person"]["actor_id"], parts["post"]["ap_id"], parts["community"], event.deleted
        )


async def comment_parts(session: AsyncSession, here: LocalInstance, comment_id: int) -> dict | None:
    comment = (await rows(session, comment=comment_id)).get("comment")
    if comment is None:
        return None
    parts = await post_parts(session, comment["post_id"])
    if parts is None:
        return None
    parts["comment"] = comment
    parts["author"] = (await rows(session, person=comment["creator_id"]))["person"]
    parent = (await rows(session, comment=comment["parent_id"])).get("comment")
    parts["parent"] = parent
    parts["parent_author"] = (await rows(session, person=parent["creator_id"]))["person"] if parent else parts["person"]
    mentioned = []
    for mention in find_mentions(comment["content"]):
        domain = mention.host if mention.host and not mention.on(here.domain) else here.domain
        person = await person_queries.by_handle(session, mention.name, domain)
        if person is not None and person["id"] != comment["creator_id"]:
            mentioned.append(person)
    parts["mentioned"] = mentioned
    return parts


def _inboxes(people: list[dict]) -> list[str]:
    return [p["shared_inbox_url"] or p["inbox_url"] for p in people if not p["local"]]


async def note_activity(session: AsyncSession, here: LocalInstance, comment_id: int, kind: str) -> None:
    if not await _heard_elsewhere(session, here, "comment", comment_id, answers=True):
        return
    parts = await comment_parts(session, here, comment_id)
    if parts is None:
        return
    community, author, parent, parent_author = (
        parts["community"],
        parts["author"],
        parts["parent"],
        parts["parent_author"],
    )
    mentions = [(p["actor_id"], f"@{p['name']}@{_domain(p, here)}") for p in parts["mentioned"]]
    document = _bare(
        note.note(
            parts["comment"],
            author,
            parts["post"],
            community,
            parent["ap_id"] if parent else None,
            parent_author,
            parts["language"],
            mentions,
        )
    )
    activity = envelope(
        here, kind, author["actor_id"], document, community=community, cc=document["cc"], tag=document.get("tag")
    )
    extra = _inboxes([parent_author, *parts["mentioned"]])
    await outbox.in_community(session, here, activity, author["actor_id"], community, extra)


def _domain(person: dict, here: LocalInstance) -> str:
    return reading.host(person["actor_id"]) if not person["local"] else here.domain


async def comment_created(session: AsyncSession, here: LocalInstance, event: events.CommentCreated) -> None:
    if event.elsewhere is not False:  # False: the comment's write read its audience already
        await note_activity(session, here, event.comment_id, "Create")


async def comment_updated(session: AsyncSession, here: LocalInstance, event: events.CommentUpdated) -> None:
    await note_activity(session, here, event.comment_id, "Update")


async def comment_deleted(session: AsyncSession, here: LocalInstance, event: events.CommentDeleted) -> None:
    if not await _heard_elsewhere(session, here, "comment", event.comment_id):
        return
    parts = await comment_parts(session, here, event.comment_id)
    if parts is not None:
        await delete_activity(
            session, here, parts["author"]["actor_id"], parts["comment"]["ap_id"], parts["community"], event.deleted
        )


async def vote_cast(session: AsyncSession, here: LocalInstance, event: events.VoteCast) -> None:
    """Like / Dislike, or the Undo of the previous vote; to the community, which announces it."""
    if event.elsewhere is False:
        return  # the vote's write read its community's audience already
    if event.elsewhere is None and not await _heard_elsewhere(session, here, event.target, event.target_id):
        return
    if event.target == "post":
        parts = await post_parts(session, event.target_id)
    else:
        parts = await comment_parts(session, here, event.target_id)
    if parts is None:
        return
    target = parts[event.target]
    voter = (await rows(session, person=event.actor_id))["person"]
    community = parts["community"]
    kinds = {1: "Like", -1: "Dislike"}
    if event.score == 0:
        if event.previous not in kinds:
            return
        inner = envelope(
            here, kinds[event.previous], voter["actor_id"], target["ap_id"], community=community, to=[], cc=[]
        )
        activity = undo(here, voter["actor_id"], inner, community)
    else:
        activity = envelope(
            here, kinds[event.score], voter["actor_id"], target["ap_id"], community=community, to=[], cc=[]
        )
    for key in ("to", "cc"):  # votes are not public in Lemmy's shape
        if not activity[key]:
            del activity[key]
    await outbox.in_community(session, here, activity, voter["actor_id"], community)


async def message_changed(session: AsyncSession, here: LocalInstance, event: events.PrivateMessageChanged) -> None:
    found = await rows(session, message=event.message_id)
    pm = found.get("message")
    if pm is None:
        return
    creator = (await rows(session, person=pm["creator_id"]))["person"]
    recipient = (await rows(session, person=pm["recipient_id"]))["person"]
    if recipient["local"]:
        return  # both here: nothing to send
    to = [recipient["actor_id"]]
    if event.change in ("created", "updated"):
        document = _bare(message.chat_message(pm, creator, recipient))
        activity = envelope(
            here, "Create" if event.change == "created" else "Update", creator["actor_id"], document, to=to, cc=[]
        )
    else:
        activity = envelope(here, "Delete", creator["actor_id"], pm["ap_id"], to=to, cc=[])
        if event.change == "restored":
            activity = undo(here, creator["actor_id"], activity)
    del activity["cc"]
    await outbox.queue(session, here, outbox.Delivery(activity, creator["actor_id"], inboxes=_inboxes([recipient])))
