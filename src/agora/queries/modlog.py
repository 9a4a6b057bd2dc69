"""The moderation log as Lemmy shows it: entries newest first with the rows they name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import ModlogEntry
from agora.db.moderators import is_moderator
from agora.db.prepared import with_values
from agora.errors import AgoraError, Code
from agora.queries import keyset, rows, visibility
from agora.queries.rows import Row
from agora.queries.viewer import Viewer

ENTRY = ModlogEntry.__table__


@dataclass(slots=True)
class ModlogFilter:
    kind: str | None = None  # a Lemmy ModlogActionType name; None or "All" for every kind
    community_id: int | None = None
    mod_person_id: int | None = None
    other_person_id: int | None = None
    post_id: int | None = None
    comment_id: int | None = None
    page: int = 1
    limit: int = 20
    cursor_id: int | None = None  # keyset paging: the entries after this one (instead of `page`)
    page_back: bool = False  # with `cursor_id`: the entries just before it, still newest first


@dataclass(slots=True)
class ModlogItem:
    entry: Row
    moderator: Row | None
    other_person: Row | None
    community: Row | None
    post: Row | None
    comment: Row | None


def mod_names_hidden(site: Mapping[str, Any], viewer: Viewer | None, *, moderates: bool = False) -> bool:
    """Whether who acted stays hidden (in the modlog, and in a member's own warnings): the site setting hides
    moderators' names from everyone but admins and, in a community's log, its own moderators."""
    return bool(site.get("hide_modlog_mod_names", True)) and not (viewer is not None and viewer.admin) and not moderates


async def hides_mod_names(
    session: AsyncSession, site: Mapping[str, Any], viewer: Viewer | None, community_id: int | None
) -> bool:
    """`mod_names_hidden` for the log of one community (or of all, `community_id` None)."""
    if not mod_names_hidden(site, viewer):
        return False
    if viewer is None or community_id is None:
        return True
    return not await is_moderator(session, viewer.person_id, community_id)


async def list_entries(
    session: AsyncSession, viewer: Viewer | None, f: ModlogFilter, *, hide_mod_names: bool
) -> list[ModlogItem]:
    """Entries newest first, leaving out those about a community, post or comment `viewer` may not see."""
    query = select(ENTRY).where(
        *visibility.in_hidden_community(
            viewer, community_id=ENTRY.c.community_id, post_id=ENTRY.c.post_id, comment_id=ENTRY.c.comment_id
        )
    )
    if f.kind and f.kind != "All":
        query = query.where(ENTRY.c.kind == f.kind)
    for column, value in (
        (ENTRY.c.community_id, f.community_id),
        (ENTRY.c.other_person_id, f.other_person_id),
        (ENTRY.c.post_id, f.post_id),
        (ENTRY.c.comment_id, f.comment_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if f.mod_person_id is not None and not hide_mod_names:
        query = query.where(ENTRY.c.mod_person_id == f.mod_person_id)
    keys: list[keyset.OrderKey] = [(ENTRY.c.when_, True), (ENTRY.c.id, True)]
    offset = (f.page - 1) * f.limit
    if f.cursor_id is not None:
        found = (await session.execute(select(ENTRY.c.when_, ENTRY.c.id).where(ENTRY.c.id == f.cursor_id))).first()
        if found is None:
            raise AgoraError(Code.invalid_body_field, "page_cursor refers to no modlog entry")
        keys = keyset.reversed_keys(keys) if f.page_back else keys
        query = query.where(with_values(keyset.beyond(keys, "after_"), keyset.cursor_values("after_", tuple(found))))
        offset = 0
    query = query.order_by(*keyset.order_by(keys)).limit(f.limit).offset(offset)
    entries = [dict(r) for r in (await session.execute(query)).mappings()]
    if f.cursor_id is not None and f.page_back:
        entries.reverse()
    persons = await rows.persons(session, [e[k] for e in entries for k in ("mod_person_id", "other_person_id")])
    communities = await rows.communities(session, [e["community_id"] for e in entries])
    posts = await rows.posts(session, [e["post_id"] for e in entries])
    comments = await rows.comments(session, [e["comment_id"] for e in entries])
    if hide_mod_names:
        # Lemmy still sends the moderator's id when it hides the name; Agora does not.
        for e in entries:
            e["mod_person_id"] = 0
    return [
        ModlogItem(
            entry=e,
            moderator=persons.get(e["mod_person_id"]),
            other_person=persons.get(e["other_person_id"]),
            community=communities.get(e["community_id"]),
            post=posts.get(e["post_id"]),
            comment=comments.get(e["comment_id"]),
        )
        for e in entries
    ]


async def last_actor(session: AsyncSession, kind: str, community_id: int) -> int | None:
    """Who last did `kind` (a ModlogActionType name) to the community, when it was done (not undone) last."""
    query = (
        select(ENTRY.c.mod_person_id, ENTRY.c.flag)
        .where(ENTRY.c.kind == kind, ENTRY.c.community_id == community_id)
        .order_by(ENTRY.c.id.desc())
        .limit(1)
    )
    found = (await session.execute(query)).first()
    return found.mod_person_id if found is not None and found.flag else None
