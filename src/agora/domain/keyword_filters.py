"""A member's keyword filters (Agora's own; Lemmy users ask for them): posts containing a word leave their listings."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db import viewer_versions
from agora.db.models import KeywordFilter
from agora.domain.permissions import LocalActing
from agora.errors import AgoraError, Code

KEYWORDS_MAX = 200
KEYWORD_LENGTH_MAX = 100


def _pattern(keyword: str) -> str:
    return keyword.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def replace(session: AsyncSession, actor: LocalActing, keywords: list[str]) -> list[str]:
    """Set the member's whole list (blank entries dropped, duplicates merged, lowercased); answers it sorted."""
    cleaned = sorted({k.strip().lower() for k in keywords if k and k.strip()})
    if len(cleaned) > KEYWORDS_MAX:
        raise AgoraError(Code.invalid_body_field, f"at most {KEYWORDS_MAX} keywords")
    if any(len(k) > KEYWORD_LENGTH_MAX or "\n" in k for k in cleaned):
        raise AgoraError(Code.invalid_body_field, f"a keyword is one line of at most {KEYWORD_LENGTH_MAX} characters")
    await session.execute(
        delete(KeywordFilter).where(KeywordFilter.local_user_id == actor.local_user_id),
        execution_options=viewer_versions.of_account(actor.local_user_id),
    )
    session.add_all(KeywordFilter(local_user_id=actor.local_user_id, keyword=k, pattern=_pattern(k)) for k in cleaned)
    await session.flush()
    return cleaned
