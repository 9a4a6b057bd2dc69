"""Community tags (Lemmy 1.0): a community's moderators offer tags, a post carries some of its community's tags.

A tag is an ActivityPub object of its community's host (`{community}/tag/{name}`): a remote community's tags come
only from its Group, and a post's tags only from the tags its community offers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import Community, CommunityTag, PostCommunityTag
from agora.domain import limits
from agora.domain.events import CommunityUpdated, record
from agora.domain.permissions import Acting, get_community, require_mod_or_admin
from agora.domain.site import local_site
from agora.errors import AgoraError, Code

COLORS = frozenset(f"color{n:02d}" for n in range(1, 11))
NAME_MAX = 100
SUMMARY_MAX = 1000
TAGS_MAX = 100  # a community's live tags, and a post's


@dataclass(frozen=True, slots=True)
class TagFields:
    """A tag as its community's Group describes it (the id is on the community's host)."""

    ap_id: str
    name: str
    display_name: str | None = None
    summary: str | None = None
    color: str | None = None


def _color(color: str | None) -> str | None:
    if color is not None and color not in COLORS:
        raise AgoraError(Code.invalid_body_field, "color must be one of color01 … color10")
    return color


def _summary(summary: str | None) -> str | None:
    if summary is not None and len(summary) > SUMMARY_MAX:
        raise AgoraError(Code.invalid_body_field, f"summary is longer than {SUMMARY_MAX} characters")
    return summary or None


async def live_tags(session: AsyncSession, community_id: int) -> list[CommunityTag]:
    query = select(CommunityTag).where(CommunityTag.community_id == community_id, CommunityTag.deleted.is_(False))
    return list((await session.execute(query.order_by(CommunityTag.id))).scalars())


async def get_tag(session: AsyncSession, tag_id: int) -> CommunityTag:
    tag = await session.get(CommunityTag, tag_id)
    if tag is None:
        raise AgoraError(Code.not_found, "no such tag")
    return tag


async def _require_moderates_here(session: AsyncSession, actor: Acting, community_id: int) -> Community:
    """Tags are kept by their community's own server: a remote community's come from its Group alone."""
    community = await get_community(session, community_id)
    await require_mod_or_admin(session, actor, community.id)
    if not community.local:
        raise AgoraError(Code.couldnt_create, "a remote community's tags are kept on its own server")
    return community


async def create(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    community_id: int,
    name: str,
    *,
    display_name: str | None = None,
    summary: str | None = None,
    color: str | None = None,
) -> CommunityTag:
    """A moderator (or admin) adds a tag to their community; its name is an actor name, unique in the community."""
    limits.check_actor_name(name, NAME_MAX)
    community = await _require_moderates_here(session, actor, community_id)
    if len(await live_tags(session, community.id)) >= TAGS_MAX:
        raise AgoraError(Code.too_many_items)
    display_name = limits.check_display_name(display_name)
    summary = _summary(summary)
    limits.check_slurs((await local_site(session, here)).slur_filter_regex, display_name, summary)
    ap_id = f"{community.actor_id}/tag/{name}"
    tag = (await session.execute(select(CommunityTag).where(CommunityTag.ap_id == ap_id))).scalar_one_or_none()
    if tag is not None and not tag.deleted:
        raise AgoraError(Code.couldnt_create, "the community has a tag of that name")
    if tag is None:
        tag = CommunityTag(ap_id=ap_id, name=name, community_id=community.id, published=now())
        session.add(tag)
    else:  # a deleted tag's name taken again: its id (and ap_id) live on
        tag.deleted, tag.updated = False, now()
    tag.display_name, tag.summary, tag.color = display_name, summary, _color(color) or "color01"
    await session.flush()
    await record(session, CommunityUpdated(actor_id=actor.person_id, community_id=community.id))
    return tag


async def edit(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    tag_id: int,
    *,
    display_name: str | None = None,
    summary: str | None = None,
    color: str | None = None,
) -> CommunityTag:
    """Absent fields stay; "" clears the display name or summary."""
    tag = await get_tag(session, tag_id)
    await _require_moderates_here(session, actor, tag.community_id)
    if display_name is not None:
        tag.display_name = limits.check_display_name(display_name)
    if summary is not None:
        tag.summary = _summary(summary)
    limits.check_slurs((await local_site(session, here)).slur_filter_regex, tag.display_name, tag.summary)
    tag.color = _color(color) or tag.color
    tag.updated = now()
    await session.flush()
    await record(session, CommunityUpdated(actor_id=actor.person_id, community_id=tag.community_id))
    return tag


async def set_deleted(session: AsyncSession, actor: Acting, tag_id: int, deleted: bool) -> CommunityTag:
    """A deleted tag leaves its community's list and the views of the posts that carried it."""
    tag = await get_tag(session, tag_id)
    await _require_moderates_here(session, actor, tag.community_id)
    tag.deleted, tag.updated = deleted, now()
    await session.flush()
    await record(session, CommunityUpdated(actor_id=actor.person_id, community_id=tag.community_id))
    return tag


async def set_post_tags(session: AsyncSession, post_id: int, community_id: int, tag_ids: Sequence[int]) -> None:
    """The post's tags become `tag_ids`, each a live tag of the post's community (else `tag_not_in_community`)."""
    wanted = set(tag_ids)
    if len(wanted) > TAGS_MAX:
        raise AgoraError(Code.too_many_items)
    offered = {tag.id for tag in await live_tags(session, community_id)}
    if not wanted <= offered:
        raise AgoraError(Code.tag_not_in_community)
    await session.execute(delete(PostCommunityTag).where(PostCommunityTag.post_id == post_id))
    session.add_all(PostCommunityTag(post_id=post_id, community_tag_id=tag_id) for tag_id in sorted(wanted))
    await session.flush()


async def set_post_tags_by_ap_id(session: AsyncSession, post_id: int, community_id: int, ap_ids: Sequence[str]) -> None:
    """A federated post's tags: those of its community's tags named in the Page; others are ignored."""
    wanted = set(ap_ids)
    tag_ids = [tag.id for tag in await live_tags(session, community_id) if tag.ap_id in wanted]
    await set_post_tags(session, post_id, community_id, tag_ids[:TAGS_MAX])


async def mirror(session: AsyncSession, community_id: int, tags: Sequence[TagFields]) -> None:
    """A remote community's tags become those its Group lists: new ones added, listed ones updated (a listed
    deleted one restored), unlisted ones marked deleted. The caller has kept only ids on the community's host."""
    listed = {tag.ap_id: tag for tag in tags[:TAGS_MAX]}
    query = select(CommunityTag).where(CommunityTag.ap_id.in_(listed) | (CommunityTag.community_id == community_id))
    known = {tag.ap_id: tag for tag in (await session.execute(query)).scalars()}
    at = now()
    for ap_id, fields in listed.items():
        tag = known.get(ap_id)
        if tag is not None and tag.community_id != community_id:
            continue  # another community's tag id: not this Group's to change
        if tag is None:
            tag = CommunityTag(ap_id=ap_id, name=fields.name, community_id=community_id, published=at)
            session.add(tag)
        elif (tag.display_name, tag.summary, tag.color, tag.deleted) != (
            fields.display_name,
            fields.summary,
            fields.color or tag.color,
            False,
        ):
            tag.updated = at
        tag.display_name, tag.summary, tag.deleted = fields.display_name, fields.summary, False
        tag.color = fields.color if fields.color in COLORS else (tag.color or "color01")
    for ap_id, tag in known.items():
        if ap_id not in listed and tag.community_id == community_id and not tag.deleted:
            tag.deleted, tag.updated = True, at
    await session.flush()
