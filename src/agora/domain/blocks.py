"""A member's blocks of people, communities and instances: blocked content leaves their listings."""

from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import (
    CommunityBlock,
    Instance,
    InstanceBlock,
    InstancePersonsBlock,
    Person,
    PersonBlock,
)
from agora.domain import communities, marks
from agora.domain.permissions import Acting, get_community, get_person, is_admin_person
from agora.errors import AgoraError, Code


def hides(
    recipient_id: int | SQLColumnExpression[int],
    creator_id: int | SQLColumnExpression[int],
    community_id: int | SQLColumnExpression[int],
    instance_id: int | SQLColumnExpression[int] | None = None,
) -> ColumnElement[bool]:
    """Whether the member hides what `creator_id` writes in `community_id`: they block the person, the persons of
    the person's instance, the community, or (when given) the community's instance."""
    creator_instance = select(Person.instance_id).where(Person.id == creator_id).scalar_subquery()
    hidden = [
        exists().where(PersonBlock.person_id == recipient_id, PersonBlock.target_id == creator_id),
        exists().where(
            InstancePersonsBlock.person_id == recipient_id, InstancePersonsBlock.instance_id == creator_instance
        ),
        exists().where(CommunityBlock.person_id == recipient_id, CommunityBlock.community_id == community_id),
    ]
    if instance_id is not None:
        hidden.append(exists().where(InstanceBlock.person_id == recipient_id, InstanceBlock.instance_id == instance_id))
    return or_(*hidden)


async def block_person(session: AsyncSession, actor: Acting, target_id: int, block: bool) -> None:
    if target_id == actor.person_id:
        raise AgoraError(Code.cant_block_yourself)
    await get_person(session, target_id)
    if block and await is_admin_person(session, target_id):
        raise AgoraError(Code.cant_block_admin)
    await marks.set_mark(session, PersonBlock, actor.person_id, block, target_id=target_id)


async def block_community(session: AsyncSession, actor: Acting, community_id: int, block: bool) -> None:
    """Blocking also unsubscribes, as in Lemmy."""
    await get_community(session, community_id)
    await marks.set_mark(session, CommunityBlock, actor.person_id, block, community_id=community_id)
    if block and await communities.is_following(session, actor.person_id, community_id):
        await communities.follow(session, actor, community_id, False)


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
    if instance_id == here.instance_id:
        raise AgoraError(Code.cant_block_local_instance)
    if (await session.get(Instance, instance_id)) is None:
        raise AgoraError(Code.unknown, "no such instance")
    await marks.set_mark(session, model, actor.person_id, block, instance_id=instance_id)
