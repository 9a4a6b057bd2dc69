"""Posts: create, edit, delete/restore, save, read, hide, and their ranks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningUpdate

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert, viewer_versions
from agora.db.models import Community, LocalSite, Person, Post, PostHide, PostLike, PostRead, PostSaved
from agora.db.rows import get_row
from agora.domain import (
    blocked_urls,
    communities,
    community_tags,
    counters,
    edit_history,
    limits,
    marks,
    polls,
    ranking,
)
from agora.domain.events import PostCreated, PostDeleted, PostUpdated, record
from agora.domain.permissions import Acting, Origin, get_community, get_person, is_mod_or_admin, require_can_write_in
from agora.domain.site import local_site
from agora.errors import AgoraError, Code


@dataclass(slots=True)
class PostForm:
    name: str
    community_id: int
    url: str | None = None
    body: str | None = None
    alt_text: str | None = None
    nsfw: bool | None = None
    language_id: int | None = None
    custom_thumbnail: str | None = None
    honeypot: str | None = None
    poll: polls.PollForm | None = None
    tags: list[int] | None = None  # community tags (API v4); absent: none


async def get_post(session: AsyncSession, post_id: int, *, lock: bool = False) -> Post:
    return await get_row(session, Post, post_id, AgoraError(Code.couldnt_find_post), lock=lock)


def require_post_open(post: Post) -> None:
    if post.deleted or post.removed:
        raise AgoraError(Code.deleted)


async def create(
    session: AsyncSession, here: LocalInstance, actor: Acting, form: PostForm, *, origin: Origin | None = None
) -> Post:
    """A member posts; with `origin`, a post arriving by federation (same rules, its own id and time)."""
    if form.honeypot:
        raise AgoraError(Code.honeypot_failed)
    site = await local_site(session, here)
    await blocked_urls.check(session, site, form.url, form.body)  # before anything else, as Lemmy
    name = limits.check_title(form.name)
    body = limits.check_body(form.body or None, limits.POST_BODY_MAX)
    url = limits.check_url(form.url)
    alt_text = limits.check_alt_text(form.alt_text or None)
    thumbnail = limits.check_image_url(form.custom_thumbnail)
    limits.check_slurs(site.slur_filter_regex, name, body)
    community = await get_community(session, form.community_id)
    person = await get_person(session, actor.person_id)
    await require_can_write_in(session, actor, person, community)
    if community.posting_restricted_to_mods and not await is_mod_or_admin(session, actor, community.id):
        raise AgoraError(Code.only_mods_can_post_in_community)
    language_id = await communities.check_language(session, community.id, form.language_id)
    local = origin is None
    at = origin.published_at() if origin else now()
    poll = polls.checked(form.poll, local=local, at=at) if form.poll is not None else None
    post = Post(
        name=name,
        url=url,
        body=body,
        alt_text=alt_text,
        thumbnail_url=thumbnail,
        creator_id=person.id,
        community_id=community.id,
        nsfw=nsfw_allowed(site, form.nsfw),
        language_id=language_id,
        ap_id=origin.ap_id if origin else f"{here.base_url}/post/pending-{uuid.uuid4().hex}",
        local=local,
        published=at,
        updated=origin.updated if origin else None,
        newest_comment_time=at,
        newest_comment_time_necro=at,
        score=1,
        upvotes=1,
    )
    session.add(post)
    await session.flush()
    if local:
        post.ap_id = here.url("post", post.id)
    session.add(PostLike(post_id=post.id, person_id=person.id, score=1, published=at))
    if person.local:
        session.add(PostRead(post_id=post.id, person_id=person.id, read_comments=0, published=at))
    await session.flush()
    counters.bump_at_commit(session, Person, person.id, post_count=1, post_score=1)
    counters.bump_at_commit(session, Community, community.id, posts=1)
    if local:
        counters.bump_site_at_commit(session, here, posts=1)
    if poll is not None:
        await polls.attach(session, post.id, poll)
    if form.tags:
        await community_tags.set_post_tags(session, post.id, community.id, form.tags)
    await update_counts_and_ranks(session, post.id)
    await record(session, PostCreated(actor_id=person.id, post_id=post.id))
    await session.refresh(post)
    return post


async def edit(
    session: AsyncSession, here: LocalInstance, actor: Acting, post_id: int, changes: dict[str, Any]
) -> Post:
    """The creator edits; absent fields are unchanged, "" clears url/body/alt text."""
    post = await get_post(session, post_id)
    if post.creator_id != actor.person_id:
        raise AgoraError(Code.no_post_edit_allowed)
    person = await get_person(session, actor.person_id)
    community = await get_community(session, post.community_id)
    await require_can_write_in(session, actor, person, community)
    site = await local_site(session, here)
    await blocked_urls.check(session, site, changes.get("url"), changes.get("body"))
    before = edit_history.snapshot(post)
    if changes.get("name") is not None:
        post.name = limits.check_title(changes["name"])
    if changes.get("body") is not None:
        post.body = limits.check_body(changes["body"] or None, limits.POST_BODY_MAX)
    if changes.get("url") is not None:
        new_url = limits.check_url(changes["url"])
        if new_url != post.url:
            post.url = new_url
            post.embed_title = post.embed_description = post.embed_video_url = None
            post.url_content_type = None
            post.thumbnail_url = None
    if changes.get("alt_text") is not None:
        post.alt_text = limits.check_alt_text(changes["alt_text"] or None)
    if changes.get("custom_thumbnail") is not None:
        post.thumbnail_url = limits.check_image_url(changes["custom_thumbnail"])
    if changes.get("nsfw") is not None:
        post.nsfw = nsfw_allowed(site, changes["nsfw"])
    if changes.get("language_id") is not None:
        post.language_id = await communities.check_language(session, post.community_id, changes["language_id"])
    if changes.get("tags") is not None:
        await community_tags.set_post_tags(session, post.id, post.community_id, changes["tags"])
    limits.check_slurs(site.slur_filter_regex, post.name, post.body)
    edit_history.edited(session, post, before, actor.person_id)
    await session.flush()
    await record(session, PostUpdated(actor_id=actor.person_id, post_id=post.id))
    return post


def nsfw_allowed(site: LocalSite, nsfw: bool | None) -> bool:
    """A post is marked NSFW only where the site allows NSFW content at all."""
    return bool(nsfw) and site.enable_nsfw


async def set_deleted(session: AsyncSession, here: LocalInstance, actor: Acting, post_id: int, deleted: bool) -> Post:
    post = await get_post(session, post_id, lock=True)
    if post.creator_id != actor.person_id:
        raise AgoraError(Code.no_post_edit_allowed)
    if post.deleted != deleted:
        post.deleted = deleted
        await session.flush()
        if not post.removed:
            await count_visibility_change(session, here, post, visible=not deleted)
        await record(session, PostDeleted(actor_id=actor.person_id, post_id=post.id, deleted=deleted))
    return post


async def count_visibility_change(session: AsyncSession, here: LocalInstance, post: Post, *, visible: bool) -> None:
    """A post left or rejoined the counted set (deleted/removed toggled): fix every count that includes it."""
    sign = 1 if visible else -1
    counters.bump_at_commit(session, Person, post.creator_id, post_count=sign, post_score=sign * post.score)
    counters.bump_at_commit(session, Community, post.community_id, posts=sign, comments=sign * post.comments)
    if post.local:
        counters.bump_site_at_commit(session, here, posts=sign)


async def save(session: AsyncSession, actor: Acting, post_id: int, save: bool) -> None:
    await get_post(session, post_id)
    await marks.set_mark(session, PostSaved, actor.person_id, save, post_id=post_id)


async def hide(session: AsyncSession, actor: Acting, post_ids: list[int], hide: bool) -> None:
    for post_id in sorted(set(limits.check_many_ids(post_ids))):
        await get_post(session, post_id)
        await marks.set_mark(session, PostHide, actor.person_id, hide, post_id=post_id)


async def mark_read(session: AsyncSession, actor: Acting, post_ids: list[int], read: bool) -> None:
    ids = sorted(set(limits.check_many_ids(post_ids)))
    if not read:
        await session.execute(
            delete(PostRead).where(PostRead.person_id == actor.person_id, PostRead.post_id.in_(ids)),
            execution_options=viewer_versions.of_person(actor.person_id),
        )
        return
    for post_id in ids:
        post = await get_post(session, post_id)
        await upsert_read(session, actor.person_id, post.id, post.comments)


async def upsert_read(session: AsyncSession, person_id: int, post_id: int, read_comments: int) -> None:
    """Remember that the member saw the post and how many comments it had (for unread_comments)."""
    statement = upsert.insert(session, PostRead).values(
        post_id=post_id, person_id=person_id, read_comments=read_comments, published=now()
    )
    statement = statement.on_conflict_do_update(
        index_elements=["post_id", "person_id"], set_={"read_comments": read_comments}
    )
    await session.execute(statement, execution_options=viewer_versions.of_person(person_id))


class _RankInputs(NamedTuple):
    score: int
    upvotes: int
    downvotes: int
    published: datetime
    newest_comment_time_necro: datetime
    users_active_month: int


async def update_counts_and_ranks(
    session: AsyncSession,
    post_id: int,
    *,
    deltas: dict[str, int] | None = None,
    values: dict[str, Any] | None = None,
    locked: tuple[Post, Community] | None = None,
) -> bool:
    """Apply count changes (`col = col + n`) and set `values`, recomputing the ranks, in one UPDATE; answers
    whether the post is visible (neither deleted nor removed) as the UPDATE found it, under its row lock.

    One statement per post per write: a second UPDATE of a row in the same transaction makes PostgreSQL re-check
    its foreign keys, and those share-locks are what deadlock concurrent voters. A caller holding the post's row
    lock passes it and its community as `locked`: their counts are current, so they are not read again.
    """
    deltas = {k: v for k, v in (deltas or {}).items() if v}
    values = dict(values or {})
    if locked is not None:
        post, community = locked
        row = _RankInputs(
            score=post.score,
            upvotes=post.upvotes,
            downvotes=post.downvotes,
            published=post.published,
            newest_comment_time_necro=post.newest_comment_time_necro,
            users_active_month=community.users_active_month,
        )
    else:
        row = _RankInputs(
            *(
                await session.execute(
                    select(
                        Post.score,
                        Post.upvotes,
                        Post.downvotes,
                        Post.published,
                        Post.newest_comment_time_necro,
                        Community.users_active_month,
                    )
                    .join(Community, Community.id == Post.community_id)
                    .where(Post.id == post_id)
                )
            ).one()
        )
    score = row.score + deltas.get("score", 0)
    upvotes = row.upvotes + deltas.get("upvotes", 0)
    downvotes = row.downvotes + deltas.get("downvotes", 0)
    necro = values.get("newest_comment_time_necro", row.newest_comment_time_necro)
    at = now()
    params = {
        "post_id": post_id,
        **{f"d_{name}": delta for name, delta in deltas.items()},
        **{f"v_{name}": value for name, value in values.items()},
        "hot_rank": ranking.hot_rank(score, row.published, at),
        "hot_rank_active": ranking.hot_rank(score, necro, at),
        "scaled_rank": ranking.scaled_rank(score, row.published, at, row.users_active_month),
        "controversy_rank": ranking.controversy_rank(upvotes, downvotes),
    }
    statement = _counts_and_ranks(tuple(sorted(deltas)), tuple(sorted(values)))
    return bool((await session.execute(statement, params)).scalar_one())


@lru_cache(maxsize=64)
def _counts_and_ranks(delta_names: tuple[str, ...], value_names: tuple[str, ...]) -> ReturningUpdate[bool]:
    """The UPDATE of `update_counts_and_ranks`, built once for each set of columns it changes (a vote's, a
    comment's): parameters post_id, d_<count> for each count added to, v_<column> for each value set, and the
    four ranks. Returns whether the post is visible."""
    table = Post.__table__
    changes = {table.c[name]: table.c[name] + bindparam(f"d_{name}", type_=Integer) for name in delta_names}
    changes.update({table.c[name]: bindparam(f"v_{name}", type_=table.c[name].type) for name in value_names})
    for name in ("hot_rank", "hot_rank_active", "scaled_rank", "controversy_rank"):
        changes[table.c[name]] = bindparam(name, type_=table.c[name].type)
    statement = update(table).where(table.c.id == bindparam("post_id", type_=Integer)).values(changes)
    return statement.returning(and_(table.c.deleted.is_(False), table.c.removed.is_(False)))


async def count_comments(session: AsyncSession, post_id: int, delta: int) -> int | None:
    """Add `delta` to the post's comment count; answers the post's community if the post is visible as the UPDATE
    found it (under its row lock, so a removal or deletion that ran meanwhile is seen), None if it is not."""
    table = Post.__table__
    statement = (
        update(table)
        .where(table.c.id == post_id)
        .values(comments=table.c.comments + delta)
        .returning(table.c.community_id, and_(table.c.deleted.is_(False), table.c.removed.is_(False)))
    )
    community_id, visible = (await session.execute(statement)).one()
    return community_id if visible else None


async def set_link_metadata(session: AsyncSession, post_id: int, url: str, metadata: dict[str, Any]) -> bool:
    """Fill a link post's embed fields from its page, unless the post has moved on to another URL meanwhile.

    A thumbnail the author chose (custom_thumbnail) is kept, except on an image post, whose thumbnail is made from
    the image itself (as Lemmy). Answers whether the post was changed.
    """
    post = await get_post(session, post_id, lock=True)
    if post.url != url:
        return False
    post.embed_title = metadata.get("title")
    post.embed_description = metadata.get("description")
    post.embed_video_url = metadata.get("embed_video_url")
    post.url_content_type = metadata.get("content_type")
    is_image = (post.url_content_type or "").startswith("image/")
    if metadata.get("thumbnail_url") and (is_image or not post.thumbnail_url):
        post.thumbnail_url = metadata["thumbnail_url"]
    await session.flush()
    return True
