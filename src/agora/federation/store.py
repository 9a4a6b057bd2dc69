"""Remote objects into our database, through the same domain functions the API uses.

A fetched or received Page ends in `domain.posts.create` (or `edit` when we have it), a Note in
`domain.comments.create`, a ChatMessage in `domain.messages.create`: the community's bans, locks, slur filter and
limits apply to remote people as to our own. The remote author acts as `RemoteActing`; its authority comes from
`acting_for`, federation's one trust rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

import contextlib

from sqlalchemy.exc import IntegrityError

from agora.core.clock import now
from agora.domain import comments, community_tags, messages, moderation, moves, polls, posts, remote
from agora.domain.permissions import Origin, RemoteActing
from agora.errors import AgoraError, Code
from agora.federation.objects import group, instance, note, page, question, reading, tags
from agora.federation.objects import message as message_object
from agora.federation.objects import person as person_object
from agora.media import link_previews
from agora.outbound import OutboundError
from agora.queries import ap_ids, rows, visibility
from agora.queries import followers as follower_queries
from agora.queries import languages as language_queries

MODERATOR_FETCHES = 10


async def existing_row(session: AsyncSession, kind: str, row_id: int) -> dict[str, Any]:
    """The row of something an activity found a moment ago; when a concurrent write removed it since, the activity
    is refused (404) rather than applied to nothing."""
    found = await rows.one(session, kind, row_id)
    if found is None:
        raise AgoraError(Code.couldnt_find_object, f"that {kind} is gone")
    return found


def acting_for(person_id: int, person_url: str, home_url: str | None) -> RemoteActing:
    """A remote person acting here. They speak with admin authority only over what lives on their own server
    (a community, a person of their instance): Lemmy trusts an instance's admins with its own content."""
    return RemoteActing(person_id=person_id, admin=home_url is not None and reading.same_host(person_url, home_url))


def require_same_host(object_id: str, creator: str) -> None:
    """An object's id and its author live on one server, or the server is speaking for someone else."""
    if not reading.same_host(object_id, creator):
        raise AgoraError(Code.invalid_activity, "the object and its author are on different servers")


async def _once_more_if_raced(write):
    """Run `write()` (one transaction storing an object by its ap_id) again if it lost an insert race: another
    delivery of the same object (the inbox worker, a resolve_object) stored it meanwhile, and the second run
    finds that row and updates it as any later copy would."""
    try:
        return await write()
    except IntegrityError:
        return await write()


def _actor_fields(parsed: person_object.RemotePerson | group.RemoteGroup, domain: str) -> remote.ActorFields:
    return remote.ActorFields(
        ap_id=parsed.ap_id,
        domain=domain,
        name=parsed.name,
        inbox=parsed.inbox,
        shared_inbox=parsed.shared_inbox,
        public_key=parsed.public_key,
        published=parsed.published,
        updated=parsed.updated,
    )


async def person(ctx: ActivityContext, document: dict) -> int:
    parsed = person_object.parse(document)
    async with ctx.state.db.write() as session:
        row = await remote.upsert_person(
            session,
            _actor_fields(parsed, reading.host(parsed.ap_id)),
            display_name=parsed.display_name,
            bio=parsed.bio,
            avatar=parsed.avatar,
            banner=parsed.banner,
            bot=parsed.bot,
            matrix_user_id=parsed.matrix_user_id,
            also_known_as=parsed.also_known_as,
        )
        person_id, known_move = row.id, row.moved_to
    if parsed.moved_to and parsed.moved_to not in (known_move, parsed.ap_id):
        await _moved(ctx, person_id, parsed.moved_to)
    return person_id


async def _moved(ctx: ActivityContext, person_id: int, target_url: str) -> None:
    """An actor that says it moved (Mastodon's `movedTo`, which its Update of the actor carries too) is believed as
    a Move is: when the new account, as its own server serves it, lists the old one. Best effort: the actor is
    stored either way."""
    with contextlib.suppress(AgoraError, OutboundError):
        kind, target_id = await ctx.resolve(target_url)
        if kind == "person":
            async with ctx.state.db.write() as session:
                await moves.arrive(session, ctx.here, person_id, target_id, None)


async def _follower_count(ctx: ActivityContext, url: str | None) -> int | None:
    """The followers collection's totalItems (Lemmy publishes the count, not the list); best effort."""
    if not url:
        return None
    try:
        total = (await ctx.fetch(url)).get("totalItems")
    except (AgoraError, OutboundError):
        return None
    return total if isinstance(total, int) and not isinstance(total, bool) else None


async def community(ctx: ActivityContext, document: dict) -> int:
    parsed = group.parse(document)
    subscribers = await _follower_count(ctx, parsed.followers)

    async def write() -> int:
        async with ctx.state.db.write() as session:
            row = await remote.upsert_community(
                session,
                _actor_fields(parsed, reading.host(parsed.ap_id)),
                title=parsed.title,
                description=parsed.description,
                icon=parsed.icon,
                banner=parsed.banner,
                nsfw=parsed.nsfw,
                posting_restricted_to_mods=parsed.posting_restricted_to_mods,
                followers_url=parsed.followers,
                moderators_url=parsed.moderators,
                featured_url=parsed.featured,
                subscribers=subscribers,
                private=parsed.private,
                also_known_as=parsed.also_known_as,
            )
            await remote.set_languages(session, row.id, parsed.languages)
            await community_tags.mirror(session, row.id, [_tag_fields(tag) for tag in parsed.offered_tags])
            return row.id

    community_id = await _once_more_if_raced(write)
    if parsed.moderators:
        await _moderators(ctx, community_id, parsed.moderators)
    return community_id


def _tag_fields(tag: tags.RemoteTag) -> community_tags.TagFields:
    return community_tags.TagFields(tag.ap_id, tag.name, tag.display_name, tag.summary, tag.color)


async def _moderators(ctx: ActivityContext, community_id: int, url: str) -> None:
    """Mirror the community's moderators (best effort: a community is usable without its list)."""
    try:
        collection = await ctx.fetch(url)
        items = collection.get("orderedItems") or collection.get("items") or []
        ids = []
        for item in items[:MODERATOR_FETCHES] if isinstance(items, list) else []:
            ids.append(await ctx.person_id(reading.url(item, "moderator")))
    except (AgoraError, OutboundError):
        return

    async def write() -> None:
        async with ctx.state.db.write() as session:
            await remote.set_moderators(session, community_id, ids)

    await _once_more_if_raced(write)


async def instance_actor(ctx: ActivityContext, document: dict) -> int:
    parsed = instance.parse(document)
    domain = reading.host(parsed.ap_id)
    fields = remote.ActorFields(parsed.ap_id, domain, domain, parsed.inbox, parsed.shared_inbox, parsed.public_key)
    async with ctx.state.db.write() as session:
        return (await remote.upsert_instance_actor(session, fields)).id


async def _language_id(session: AsyncSession, code: str | None) -> int | None:
    return await language_queries.id_by_code(session, code)


async def _require_reader(session: AsyncSession, community_id: int) -> None:
    """Unsolicited content (pushed, not fetched) is taken only for communities someone here reads (Lemmy's rule,
    which keeps a server from filling our database with communities nobody follows)."""
    community = await existing_row(session, "community", community_id)
    if not community["local"] and not await follower_queries.has_local(session, community_id):
        raise AgoraError(Code.invalid_activity, "no one here follows that community")


async def _require_federated(session: AsyncSession, community_id: int) -> dict:
    """A local-only community is closed to other servers both ways: nothing of theirs is taken into it."""
    community = await existing_row(session, "community", community_id)
    if community["local"] and not visibility.federated_community(community):
        raise AgoraError(Code.couldnt_find_community, "that community does not federate")
    return community


async def post(ctx: ActivityContext, document: dict, *, solicited: bool) -> int:
    parsed = page.parse(document)
    require_same_host(parsed.ap_id, parsed.creator)
    creator_id = await ctx.person_id(parsed.creator)
    community_id = await ctx.first_community(parsed.community_candidates)
    ctx.check_via(community_id)
    post_id, new_link = await _once_more_if_raced(lambda: _write_post(ctx, parsed, creator_id, community_id, solicited))
    if new_link and parsed.url:
        # Each server reads a link's page for itself, as Lemmy does: the Page carries no title or description.
        link_previews.later(ctx.state, post_id, parsed.url)
    return post_id


async def _write_post(
    ctx: ActivityContext, parsed: page.RemotePage, creator_id: int, community_id: int, solicited: bool
) -> tuple[int, bool]:
    """(the post's id, whether it is new here or links elsewhere now)."""
    async with ctx.state.db.write() as session:
        if not solicited:
            await _require_reader(session, community_id)
        community_row = await _require_federated(session, community_id)
        acting = acting_for(creator_id, parsed.creator, community_row["actor_id"])
        language_id = await _language_id(session, parsed.language)
        existing = await ap_ids.row_id(session, "post", parsed.ap_id)
        if existing is not None:
            row = await existing_row(session, "post", existing)
            changes = {
                "name": parsed.name,
                "body": parsed.body or "",
                "url": parsed.url or "",
                "nsfw": parsed.nsfw,
                "alt_text": parsed.alt_text or "",
            }
            if parsed.thumbnail:
                changes["custom_thumbnail"] = parsed.thumbnail
            if parsed.poll is None:
                await posts.edit(session, ctx.here, acting, existing, changes)
            else:
                if row["creator_id"] != creator_id:
                    raise AgoraError(Code.no_post_edit_allowed, "only the author updates a poll")
                if _edited(row, changes):
                    await posts.edit(session, ctx.here, acting, existing, changes)
                await polls.update_remote(session, existing, _poll_form(parsed.poll))
            await community_tags.set_post_tags_by_ap_id(session, existing, community_id, parsed.tag_ids)
            await ctx.stored(session, parsed.ap_id, community_id)
            return existing, (row["url"] or "") != (parsed.url or "")
        form = posts.PostForm(
            name=parsed.name,
            community_id=community_id,
            url=parsed.url,
            body=parsed.body,
            alt_text=parsed.alt_text,
            nsfw=parsed.nsfw,
            language_id=language_id,
            custom_thumbnail=parsed.thumbnail,
            poll=_poll_form(parsed.poll) if parsed.poll is not None else None,
        )
        origin = Origin(parsed.ap_id, parsed.published, parsed.updated)
        try:
            created = await posts.create(session, ctx.here, acting, form, origin=origin)
        except AgoraError as error:
            if error.code != Code.language_not_allowed:
                raise
            form.language_id = None  # a language this community does not list: keep the post, undetermined
            created = await posts.create(session, ctx.here, acting, form, origin=origin)
        if parsed.tag_ids:
            await community_tags.set_post_tags_by_ap_id(session, created.id, community_id, parsed.tag_ids)
        await ctx.stored(session, parsed.ap_id, community_id)
        return created.id, True


def _poll_form(poll: question.RemotePoll) -> polls.PollForm:
    form = polls.PollForm(poll.choices, poll.multiple, poll.end_time, poll.counts, poll.voters)
    return polls.checked(form, local=False, at=now())


def _edited(row: dict, changes: dict) -> bool:
    """Whether an Update changes the post itself: a poll's server sends one for each new count, and those do not
    make the post "edited"."""
    had = {
        "name": row["name"],
        "body": row["body"] or "",
        "url": row["url"] or "",
        "nsfw": row["nsfw"],
        "alt_text": row["alt_text"] or "",
    }
    thumbnail = changes.get("custom_thumbnail")
    return any(had[key] != changes[key] for key in had) or (thumbnail is not None and thumbnail != row["thumbnail_url"])


async def comment(ctx: ActivityContext, document: dict, *, solicited: bool) -> int:
    parsed = note.parse(document)
    require_same_host(parsed.ap_id, parsed.creator)
    creator_id = await ctx.person_id(parsed.creator)
    parent_kind, parent_id = await ctx.resolve(parsed.in_reply_to)
    return await _once_more_if_raced(lambda: _write_comment(ctx, parsed, creator_id, parent_kind, parent_id, solicited))


async def _write_comment(
    ctx: ActivityContext, parsed: note.RemoteNote, creator_id: int, parent_kind: str, parent_id: int, solicited: bool
) -> int:
    async with ctx.state.db.write() as session:
        if parent_kind == "post":
            post_id, parent_comment_id = parent_id, None
        elif parent_kind == "comment":
            post_id = (await existing_row(session, "comment", parent_id))["post_id"]
            parent_comment_id = parent_id
        else:
            raise AgoraError(Code.invalid_activity, "a comment must answer a post or a comment")
        post_row = await existing_row(session, "post", post_id)
        ctx.check_via(post_row["community_id"])
        await _require_federated(session, post_row["community_id"])
        if not solicited:
            await _require_reader(session, post_row["community_id"])
        acting = acting_for(creator_id, parsed.creator, None)
        existing = await ap_ids.row_id(session, "comment", parsed.ap_id)
        if existing is not None:
            await comments.edit(session, ctx.here, acting, existing, content=parsed.content, language_id=None)
            await _distinguish(session, acting, existing, parsed.distinguished)
            await ctx.stored(session, parsed.ap_id, post_row["community_id"])
            return existing
        language_id = await _language_id(session, parsed.language)
        origin = Origin(parsed.ap_id, parsed.published, parsed.updated)
        arguments: dict[str, Any] = {
            "post_id": post_id,
            "content": parsed.content,
            "parent_id": parent_comment_id,
            "origin": origin,
        }
        try:
            created = await comments.create(session, ctx.here, acting, language_id=language_id, **arguments)
        except AgoraError as error:
            if error.code != Code.language_not_allowed:
                raise
            created = await comments.create(session, ctx.here, acting, **arguments)
        if parsed.distinguished:
            await _distinguish(session, acting, created.id, True)
        await ctx.stored(session, parsed.ap_id, post_row["community_id"])
        return created.id


async def _distinguish(session: AsyncSession, acting: RemoteActing, comment_id: int, distinguished: bool) -> None:
    """Lemmy federates a moderator's distinguished comment as the comment's own flag; only a moderator's counts
    (the domain checks, before it writes anything)."""
    row = await existing_row(session, "comment", comment_id)
    if bool(row["distinguished"]) == distinguished:
        return
    with contextlib.suppress(AgoraError):
        await moderation.distinguish_comment(session, acting, comment_id, distinguished)


async def message(ctx: ActivityContext, document: dict) -> int:
    parsed = message_object.parse(document)
    require_same_host(parsed.ap_id, parsed.creator)
    creator_id = await ctx.person_id(parsed.creator)
    recipient_id = None
    for candidate in parsed.recipients[:10]:
        found = await ctx.lookup(candidate)
        if found and found[0] == "person" and reading.host(candidate) == ctx.here.domain:
            recipient_id = found[1]
            break
    if recipient_id is None:
        raise AgoraError(Code.couldnt_find_person, "the message is for no one here")
    return await _once_more_if_raced(lambda: _write_message(ctx, parsed, creator_id, recipient_id))


async def _write_message(
    ctx: ActivityContext, parsed: message_object.RemoteMessage, creator_id: int, recipient_id: int
) -> int:
    async with ctx.state.db.write() as session:
        acting = acting_for(creator_id, parsed.creator, None)
        existing = await ap_ids.row_id(session, "message", parsed.ap_id)
        if existing is not None:
            await messages.edit(session, ctx.here, acting, existing, parsed.content)
            return existing
        origin = Origin(parsed.ap_id, parsed.published, parsed.updated)
        created = await messages.create(session, ctx.here, acting, recipient_id, parsed.content, origin=origin)
        return created.id
