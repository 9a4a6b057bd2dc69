"""Writing the moderation log: every moderator and admin action leaves one entry, in the action's transaction."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import ModlogEntry


class Kind(StrEnum):
    """Lemmy's modlog kinds (its ModlogActionType names), plus Agora's warnings."""

    remove_post = "ModRemovePost"
    lock_post = "ModLockPost"
    feature_post = "ModFeaturePost"
    remove_comment = "ModRemoveComment"
    lock_comment = "ModLockComment"  # Lemmy 1.0's (0.19's modlog has no such kind)
    remove_community = "ModRemoveCommunity"
    ban_from_community = "ModBanFromCommunity"
    add_community = "ModAddCommunity"
    transfer_community = "ModTransferCommunity"
    add = "ModAdd"
    ban = "ModBan"
    hide_community = "ModHideCommunity"
    purge_person = "AdminPurgePerson"
    purge_community = "AdminPurgeCommunity"
    purge_post = "AdminPurgePost"
    purge_comment = "AdminPurgeComment"
    warn = "AgoraWarn"


async def write(
    session: AsyncSession,
    kind: Kind,
    mod_person_id: int | None,
    *,
    flag: bool = True,
    other_person_id: int | None = None,
    community_id: int | None = None,
    post_id: int | None = None,
    comment_id: int | None = None,
    reason: str | None = None,
    expires: datetime | None = None,
    featured_community: bool = False,
) -> None:
    session.add(
        ModlogEntry(
            kind=kind.value,
            mod_person_id=mod_person_id,
            other_person_id=other_person_id,
            community_id=community_id,
            post_id=post_id,
            comment_id=comment_id,
            reason=reason,
            flag=flag,
            featured_community=featured_community,
            expires=expires,
            when_=now(),
        )
    )
    await session.flush()
