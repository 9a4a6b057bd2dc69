"""A member's blocks of people, communities and instances: blocked content leaves their listings."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert, viewer_versions
from agora.db.models import (
    CommunityBlock,
    Instance,
    InstanceBlock,
    InstancePersonsBlock,
    PersonBlock,
)
from agora.domain import communities
from agora.domain.permissions import Acting, get_community, get_person, is_admin_person
from agora.errors import AgoraError, Code


async def block_person(session: AsyncSession, actor: Acting, target_id: int, block: bool) -> None:
    mine = viewer_versions.of_person(actor.person_id)  # the rows this writes are the actor's (db.viewer_versions)
    if target_id == actor.person_id:
        raise AgoraError(Code.cant_block_yourself)
    await get_person(session, target_id)
    if block:
        if await is_admin_person(session, target_id):
            raise AgoraError(Code.cant_block_admin)
        statement = upsert.insert(session, PersonBlock).values(
            person_id=actor.person_id, target_id=target_id, published=now()
        )
        await session.execute(statement.on_conflict_do_nothing(), execution_options=mine)
    else:
        await session.execute(
            delete(PersonBlock).where(PersonBlock.person_id == actor.person_id, PersonBlock.target_id == target_id),
            execution_options=mine,
        )


async def block_community(session: AsyncSession, actor: Acting, community_id: int, block: bool) -> None:
    """Blocking also unsubscribes, as in Lemmy."""
    mine = viewer_versions.of_person(actor.person_id)  # the rows this writes are the actor's (db.viewer_versions)
    await get_community(session, community_id)
    if block:
        statement = upsert.insert(session, CommunityBlock).values(
            person_id=actor.person_id, community_id=community_id, published=now()
        )
        await session.execute(statement.on_conflict_do_nothing(), execution_options=mine)
        if await communities.is_following(session, actor.person_id, community_id):
            await communities.follow(session, actor, community_id, False)
    else:
        await session.execute(
            delete(CommunityBlock).where(
                CommunityBlock.person_id == actor.person_id, CommunityBlock.community_id == community_id
            ),
            execution_options=mine,
        )


async def block_instance(
    session: AsyncSession, here: LocalInstance, actor: Acting, instance_id: int, block: bool
) -> None:
    """The instance's communities leave the member's listings (v3's instance block, 1.0's block of its
    communities)."""
    await _block_instance(session, here, actor, InstanceBlock, instance_id, block)


async def block_instance_persons(
    session: AsyncSession, here: LocalInstance, actor: Acting, instance_id: int, block: bool
) -> None:
    """What the instance's persons write leaves the member's listings, in every community."""
    await _block_instance(session, here, actor, InstancePersonsBlock, instance_id, block)


async def _block_instance(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    model: type[InstanceBlock] | type[InstancePersonsBlock],
    instance_id: int,
    block: bool,
) -> None:
    mine = viewer_versions.of_person(actor.person_id)  # the rows this writes are the actor's (db.viewer_versions)
    if instance_id == here.instance_id:
        raise AgoraError(Code.cant_block_local_instance)
    if (await session.get(Instance, instance_id)) is None:
        raise AgoraError(Code.unknown, "no such instance")
    if block:
        statement = upsert.insert(session, model).values(
            person_id=actor.person_id, instance_id=instance_id, published=now()
        )
        await session.execute(statement.on_conflict_do_nothing(), execution_options=mine)
    else:
        await session.execute(
            delete(model).where(model.person_id == actor.person_id, model.instance_id == instance_id),
            execution_options=mine,
        )
