"""Registration applications: the answer a new member gives when the site requires one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import LocalSite, LocalUser, RegistrationApplication
from agora.domain import counters, limits
from agora.domain.permissions import Acting, require_admin
from agora.errors import AgoraError, Code


async def create(session: AsyncSession, local_user_id: int, answer: str) -> RegistrationApplication:
    application = RegistrationApplication(local_user_id=local_user_id, answer=answer)
    session.add(application)
    await session.flush()
    return application


async def check_not_pending(session: AsyncSession, local_user_id: int) -> None:
    """Refuse a login while the account's application is undecided, or with the reason once denied."""
    application = (
        await session.execute(
            select(RegistrationApplication).where(RegistrationApplication.local_user_id == local_user_id)
        )
    ).scalar_one_or_none()
    if application is None:
        return
    if application.admin_id is None:
        raise AgoraError(Code.registration_application_is_pending)
    raise AgoraError(Code.registration_denied, application.deny_reason)


async def decide(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    application_id: int,
    *,
    approve: bool,
    deny_reason: str | None,
) -> RegistrationApplication:
    """An admin approves (the account may log in at once) or denies with a reason shown at login."""
    require_admin(actor)
    application = await session.get(RegistrationApplication, application_id)
    if application is None:
        raise AgoraError(Code.couldnt_find_registration_application)
    # Locked, so two admins deciding at once count the account once.
    user = await session.get(
        LocalUser, application.local_user_id, with_for_update={"key_share": True}, populate_existing=True
    )
    application.admin_id = actor.person_id
    application.deny_reason = None if approve else limits.check_mod_reason(deny_reason)
    if user is not None and user.accepted_application != approve:
        user.accepted_application = approve
        await counters.bump(session, LocalSite, here.local_site_id, users=1 if approve else -1)
    await session.flush()
    return application
