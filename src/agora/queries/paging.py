"""How much one read may list, and Lemmy's offset paging: a read rule the API and the web UI both apply."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.sql import FromClause

from agora.errors import AgoraError, Code

Selected = TypeVar("Selected", bound=Select[Any])

TREE_MAX = 300  # comments of one tree read
PAGE_LIMIT_MAX = 50
PAGE_LIMIT_DEFAULT = 10
PAGE_MAX = 100_000


def check_page(page: int | None, limit: int | None, code: Code = Code.unknown) -> tuple[int, int]:
    """Lemmy's offset paging: page ≥ 1, 1 ≤ limit ≤ 50 (default 10)."""
    page = 1 if page is None else page
    limit = PAGE_LIMIT_DEFAULT if limit is None else limit
    if page < 1 or page > PAGE_MAX or limit < 1 or limit > PAGE_LIMIT_MAX:
        raise AgoraError(code, "page must be ≥ 1 and limit between 1 and 50")
    return page, limit


def newest_first(query: Selected, table: FromClause, page: int, limit: int) -> Selected:
    """`query` as one offset page of `table`'s rows, newest first (ties: the higher id first)."""
    return query.order_by(table.c.published.desc(), table.c.id.desc()).limit(limit).offset((page - 1) * limit)
