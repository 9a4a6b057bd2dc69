"""How much one read may list, and Lemmy's offset paging: a read rule the API and the web UI both apply."""

from __future__ import annotations

from agora.errors import AgoraError, Code

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
