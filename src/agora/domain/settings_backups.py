"""Import a settings backup (Lemmy's import_settings): profile, settings, follows, saves and blocks by ActivityPub id.

Objects this instance does not know yet are skipped and counted; each list is capped so one request stays bounded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from agora.core.instance import LocalInstance
from agora.db.models import Comment, Community, Instance, Person, Post
from agora.domain import blocks, comments, communities, posts, user_settings
from agora.domain.permissions import LocalActing
from agora.errors import AgoraError, Code

LIST_MAX = 1000
LISTS = (
    "followed_communities",
    "saved_posts",
    "saved_comments",
    "blocked_communities",
    "blocked_users",
    "blocked_instances",
)


@dataclass(slots=True)
class ImportResult:
    applied: int = 0
    skipped: list[str] = field(default_factory=list)


async def _ids(session: AsyncSession, column: InstrumentedAttribute[str], urls: list[str]) -> dict[str, int]:
    """The known rows among `urls` (ActivityPub ids, or domains for instances), by url."""
    if not urls:
        return {}
    table = column.class_
    found = await session.execute(select(column, table.id).where(column.in_(urls)))
    return {url: row_id for url, row_id in found}


async def restore(
    session: AsyncSession, here: LocalInstance, actor: LocalActing, backup: dict[str, Any]
) -> ImportResult:
    for name in LISTS:
        if len(backup.get(name) or []) > LIST_MAX:
            raise AgoraError(Code.too_many_items, f"{name} may list at most {LIST_MAX} items")
    settings = backup.get("settings") or {}
    changes = {k: settings[k] for k in user_settings.PORTABLE_SETTINGS if settings.get(k) is not None}
    profile = {
        "display_name": "display_name",
        "bio": "bio",
        "avatar": "avatar",
        "banner": "banner",
        "matrix_id": "matrix_user_id",
        "bot_account": "bot_account",
    }
    changes.update({ours: backup[theirs] for theirs, ours in profile.items() if backup.get(theirs) is not None})
    await user_settings.save(session, actor, changes)

    result = ImportResult()

    async def each(urls: object, column: InstrumentedAttribute[str], apply: Callable[[int], Awaitable[object]]) -> None:
        wanted = sorted({u for u in urls if isinstance(u, str)}) if isinstance(urls, list) else []
        known = await _ids(session, column, wanted)
        for url in wanted:
            if url not in known:
                result.skipped.append(url)
                continue
            try:
                await apply(known[url])
                result.applied += 1
            except AgoraError:  # refused before anything was written (a ban, an admin, a deleted community)
                result.skipped.append(url)

    await each(
        backup.get("followed_communities"), Community.actor_id, lambda i: communities.follow(session, actor, i, True)
    )
    await each(backup.get("saved_posts"), Post.ap_id, lambda i: posts.save(session, actor, i, True))
    await each(backup.get("saved_comments"), Comment.ap_id, lambda i: comments.save(session, actor, i, True))
    await each(
        backup.get("blocked_communities"), Community.actor_id, lambda i: blocks.block_community(session, actor, i, True)
    )
    await each(backup.get("blocked_users"), Person.actor_id, lambda i: blocks.block_person(session, actor, i, True))
    await each(
        backup.get("blocked_instances"), Instance.domain, lambda i: blocks.block_instance(session, here, actor, i, True)
    )
    persons_of = backup.get("blocked_instances_persons")  # API v4's backups only
    await each(persons_of, Instance.domain, lambda i: blocks.block_instance_persons(session, here, actor, i, True))
    return result
