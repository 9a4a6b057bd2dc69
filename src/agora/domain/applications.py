"""Registration applications: the answer a new member gives when the site requires one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import RegistrationApplication
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
