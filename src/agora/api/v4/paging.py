"""Lemmy 1.0's cursor paging: `page_cursor` in, `next_page` / `prev_page` out (`PagedResponse<T>`).

A cursor is opaque to apps. Agora's says which way it goes and from where:
- `N<key>` / `B<key>`: forward from / back before the item `<key>` (keyset paging: a page holds its place
  however many items arrive above it, and a deep page costs what the first does);
- `O<page>`: an offset page, for the combined listings (notifications, saved, reports), which merge two
  queries' first items (`merged_page`) until the queries learn a shared keyset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from agora.errors import AgoraError, Code
from agora.queries.paging import PAGE_LIMIT_MAX, PAGE_MAX

FORWARD, BACK, OFFSET = "N", "B", "O"
View = TypeVar("View")


@dataclass(frozen=True, slots=True)
class Cursor:
    direction: str  # FORWARD, BACK or OFFSET
    key: str  # the item's key (FORWARD, BACK), or the page number (OFFSET)


def read_cursor(page_cursor: str | None) -> Cursor | None:
    if not page_cursor:
        return None
    if len(page_cursor) < 2 or len(page_cursor) > 40 or page_cursor[0] not in (FORWARD, BACK, OFFSET):
        raise AgoraError(Code.invalid_body_field, "page_cursor is not one this server gave")
    return Cursor(page_cursor[0], page_cursor[1:])


def keyset_id(cursor: Cursor | None) -> int | None:
    """The item id a FORWARD or BACK cursor continues from (None without a cursor)."""
    if cursor is None:
        return None
    if cursor.direction == OFFSET or not cursor.key.isdigit() or int(cursor.key) >= 2**31:
        raise AgoraError(Code.invalid_body_field, "page_cursor is not one this listing gave")
    return int(cursor.key)


def going_back(cursor: Cursor | None) -> bool:
    """Whether the page asked for is the one before the cursor's item (a `B<key>` cursor)."""
    return cursor is not None and cursor.direction == BACK


def limit_of(limit: int | None, default: int = 20) -> int:
    limit = default if limit is None else limit
    if not 1 <= limit <= PAGE_LIMIT_MAX:
        raise AgoraError(Code.invalid_body_field, f"limit must be between 1 and {PAGE_LIMIT_MAX}")
    return limit


def offset_page(page_cursor: str | None) -> int:
    """The page an offset listing is asked for (1 without a cursor)."""
    cursor = read_cursor(page_cursor)
    if cursor is None:
        return 1
    if cursor.direction != OFFSET or not cursor.key.isdigit() or not 1 <= int(cursor.key) <= PAGE_MAX:
        raise AgoraError(Code.invalid_body_field, "page_cursor is not one this server gave")
    return int(cursor.key)


MERGED_MAX = 50  # items a combined listing reads of each of its parts (the comment listing's page cap)


def merged_window(page: int, limit: int) -> int:
    """How many items of each part a combined (offset) listing reads to answer `page`: the whole run up to it."""
    if page * limit > MERGED_MAX:
        raise AgoraError(Code.invalid_body_field, f"a combined listing pages through its first {MERGED_MAX} items")
    return page * limit


def merged_page(parts: list[list[Any]], page: int, limit: int, key: Callable[[Any], Any]) -> list[Any]:
    """Page `page` of several parts each read newest first (`merged_window` items of each), newest first by
    `key`: the parts are merged, then cut, so an item is on the same page whichever part it came from."""
    merged = sorted((item for part in parts for item in part), key=key, reverse=True)
    return merged[(page - 1) * limit : page * limit]


def paged(items: list[Any], next_page: str | None = None, prev_page: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"items": items}
    if next_page:
        body["next_page"] = next_page
    if prev_page:
        body["prev_page"] = prev_page
    return body


def offset_paged(items: list[Any], page: int, limit: int) -> dict[str, Any]:
    """An offset listing's page: a next page while pages come full, a previous one after the first."""
    following = f"{OFFSET}{page + 1}" if len(items) >= limit and page < PAGE_MAX else None
    return paged(items, following, f"{OFFSET}{page - 1}" if page > 1 else None)


def keyset_paged(items: list[Any], keys: list[str], limit: int, cursor: Cursor | None) -> dict[str, Any]:
    """A keyset listing's page, `keys` the items' own keys in order: forward from the last, back from the first.
    Going back, the page before is there while pages come full; going forward, the page after is."""
    if not keys:
        return paged(items)
    back = going_back(cursor)
    following = f"{FORWARD}{keys[-1]}" if back or len(keys) >= limit else None
    previous = f"{BACK}{keys[0]}" if cursor is not None and (not back or len(keys) >= limit) else None
    return paged(items, following, previous)


def keyset_views(
    views: Sequence[View],
    view_json: Callable[[View], dict[str, Any]],
    key: Callable[[View], object],
    limit: int,
    cursor: Cursor | None,
) -> dict[str, Any]:
    """`keyset_paged` of a listing's views, each drawn by `view_json` and keyed by `key` (its id)."""
    return keyset_paged([view_json(v) for v in views], [str(key(v)) for v in views], limit, cursor)
