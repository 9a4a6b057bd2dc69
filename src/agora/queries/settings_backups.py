"""A member's settings backup (Lemmy's export_settings): profile, settings, and what they follow, saved and blocked,
named by ActivityPub ids so the backup can be imported on another instance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import (
    Comment,
    CommentSaved,
    Community,
    CommunityBlock,
    CommunityFollower,
    Instance,
    InstanceBlock,
    LocalUser,
    Person,
    PersonBlock,
    Post,
    PostSaved,
)
from agora.errors import AgoraError, Code


async def _column(session: AsyncSession, query: Select[str]) -> list[str]:
    return list((await session.execute(query)).scalars())


async def export(
    session: AsyncSession, person_id: int, local_user_id: int, portable: tuple[str, ...]
) -> dict[str, Any]:
    """The member's backup; `portable`: the account settings that travel (domain.user_settings names them)."""
    person = await session.get(Person, person_id)
    user = await session.get(LocalUser, local_user_id)
    if person is None or user is None:
        raise AgoraError(Code.couldnt_find_person)
    settings = {name: getattr(user, name) for name in portable}  # never the password hash or 2FA secret
    return {
        "display_name": person.display_name,
        "bio": person.bio,
        "avatar": person.avatar,
        "banner": person.banner,
        "matrix_id": person.matrix_user_id,
        "bot_account": person.bot_account,
        "settings": settings,
        "followed_communities": await _column(
            session,
            select(Community.actor_id)
            .join(CommunityFollower, CommunityFollower.community_id == Community.id)
            .where(CommunityFollower.person_id == person_id)
            .order_by(Community.actor_id),
        ),
        "saved_posts": await _column(
            session,
            select(Post.ap_id)
            .join(PostSaved, PostSaved.post_id == Post.id)
            .where(PostSaved.person_id == person_id)
            .order_by(Post.ap_id),
        ),
        "saved_comments": await _column(
            session,
            select(Comment.ap_id)
            .join(CommentSaved, CommentSaved.comment_id == Comment.id)
            .where(CommentSaved.person_id == person_id)
            .order_by(Comment.ap_id),
        ),
        "blocked_communities": await _column(
            session,
            select(Community.actor_id)
            .join(CommunityBlock, CommunityBlock.community_id == Community.id)
            .where(CommunityBlock.person_id == person_id)
            .order_by(Community.actor_id),
        ),
        "blocked_users": await _column(
            session,
            select(Person.actor_id)
            .join(PersonBlock, PersonBlock.target_id == Person.id)
            .where(PersonBlock.person_id == person_id)
            .order_by(Person.actor_id),
        ),
        "blocked_instances": await _column(
            session,
            select(Instance.domain)
            .join(InstanceBlock, InstanceBlock.instance_id == Instance.id)
            .where(InstanceBlock.person_id == person_id)
            .order_by(Instance.domain),
        ),
    }
