"""Captchas for registration: an answer handed out with an id, checked once, valid for ten minutes."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import CaptchaAnswer
from agora.errors import AgoraError, Code

LIFETIME = timedelta(minutes=10)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)
_LENGTH = {"easy": 4, "medium": 6, "hard": 8}


async def create(session: AsyncSession, difficulty: str) -> tuple[str, str]:
    """A new captcha: (uuid, answer). The caller renders the answer as an image."""
    answer = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH.get(difficulty, 6)))
    key = str(uuid.uuid4())
    session.add(CaptchaAnswer(uuid=key, answer=answer, published=now()))
    await session.flush()
    return key, answer


async def check(session: AsyncSession, key: str | None, answer: str | None) -> None:
    if not key or not answer:
        raise AgoraError(Code.captcha_incorrect)
    row = (await session.execute(select(CaptchaAnswer).where(CaptchaAnswer.uuid == key))).scalar_one_or_none()
    if row is None or row.published < now() - LIFETIME:
        raise AgoraError(Code.captcha_incorrect)
    await session.delete(row)
    if row.answer.upper() != answer.strip().upper().replace(" ", ""):
        raise AgoraError(Code.captcha_incorrect)


async def purge_expired(session: AsyncSession) -> None:
    await session.execute(delete(CaptchaAnswer).where(CaptchaAnswer.published < now() - LIFETIME))
