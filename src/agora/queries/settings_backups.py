"""A member's settings backup (Lemmy's export_settings): profile, settings, and what they follow, saved and blocked,
named by ActivityPub ids so the backup can be imported on another instance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from agora.db.models import (
    Comment,
    CommentSaved,
    Community,
    CommunityBlock,
    CommunityFollower,
    Instance,
    InstanceBlock,
    InstancePersonsBlock,
    LocalUser,
    Person,
    PersonBlock,
    Post,
    PostSaved,
)
from agora.errors import AgoraError, Code

# Each list of the backup: the key, the id that names the object on every instance, and the member's link rows
# (their column naming the object, their column naming the member).
_LISTS: tuple[tuple[str, InstrumentedAttribute[str], InstrumentedAttribute[int], InstrumentedAttribute[int]], ...] = (
    ("followed_communities", Community.actor_id, CommunityFollower.community_id, CommunityFollower.person_id),
    ("saved_posts", Post.ap_id, PostSaved.post_id, PostSaved.person_id),
    ("saved_comments", Comment.ap_id, CommentSaved.comment_id, CommentSaved.person_id),
    ("blocked_communities", Community.actor_id, CommunityBlock.community_id, CommunityBlock.person_id),
    ("blocked_users", Person.actor_id, PersonBlock.target_id, PersonBlock.person_id),
    ("blocked_instances", Instance.domain, InstanceBlock.instance_id, InstanceBlock.person_id),
)


async def export(
    session: AsyncSession, person_id: int, local_user_id: int, portable: tuple[str, ...]
) -> dict[str, Any]:
    """The member's backup; `portable`: the account settings that travel (domain.user_settings names them)."""
    person = await session.get(Person, person_id)
    user = await session.get(LocalUser, local_user_id)
    if person is None or user is None:
        raise AgoraError(Code.couldnt_find_person)
    settings = {name: getattr(user, name) for name in portable}  # never the password hash or 2FA secret
    backup: dict[str, Any] = {
        "display_name": person.display_name,
        "bio": person.bio,
        "avatar": person.avatar,
        "banner": person.banner,
        "matrix_id": person.matrix_user_id,
        "bot_account": person.bot_account,
        "settings": settings,
    }
    for key, name, linked, member in _LISTS:
        object_id = name.class_.id  # the named object's own key
        query = select(name).join(linked.class_, linked == object_id).where(member == person_id).order_by(name)
        backup[key] = list((await session.execute(query)).scalars())
    return backup


async def blocked_instance_persons(session: AsyncSession, person_id: int) -> list[str]:
    """The domains of the instances whose persons the member blocked (API v4's backup lists them apart)."""
    block = InstancePersonsBlock
    query = select(Instance.domain).join(block, block.instance_id == Instance.id).where(block.person_id == person_id)
    return list((await session.execute(query.order_by(Instance.domain))).scalars())
