"""page/limit as Lemmy takes them: page from 1, limit at most 50."""

from __future__ import annotations

from agora.errors import AgoraError, Code
from agora.queries.paging import PAGE_LIMIT_MAX, PAGE_MAX


def paging(page: int | None, limit: int | None, *, default: int = 20) -> tuple[int, int]:
    page = 1 if page is None else page
    limit = default if limit is None else limit
    if not 1 <= page <= PAGE_MAX or not 1 <= limit <= PAGE_LIMIT_MAX:
        raise AgoraError(Code.invalid_body_field, f"page must be ≥ 1 and limit between 1 and {PAGE_LIMIT_MAX}")
    return page, limit
