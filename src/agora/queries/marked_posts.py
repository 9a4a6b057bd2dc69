"""A member's own marked posts, read or hidden, as pages of PostItem: the newest mark first.

Ordered by when the member marked the post, then by post id; keyset-paged on the mark (`after` / `before` a
post the member marked), so a page holds its place while the member reads on. The posts shown are those the
member may still see (post_listings' rules, read and hidden posts kept).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Table, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import PostHide, PostRead
from agora.errors import AgoraError, Code
from agora.queries import keyset, post_listings, post_views
from agora.queries.viewer import Viewer
from agora.queries.views import PostItem

Mark = Literal["read", "hidden"]
MARKS: dict[str, Table] = {"read": PostRead.__table__, "hidden": PostHide.__table__}


async def list_marked(
    session: AsyncSession,
    viewer: Viewer,
    mark: Mark,
    *,
    limit: int,
    cursor_post_id: int | None = None,
    back: bool = False,
) -> list[PostItem]:
    """Up to `limit` posts the viewer marked `mark`, newest mark first. With `cursor_post_id`: the page after
    that post's mark, or (`back`) the page just before it, still newest first. A cursor post the viewer has
    not marked is refused."""
    table = MARKS[mark].alias("mark")  # the view's own flag probes read the unaliased table
    P = post_views.P
    keys: list[keyset.OrderKey] = [(table.c.published, True), (table.c.post_id, True)]
    mine = table.c.person_id == viewer.person_id
    q = post_listings.PostQuery(show_hidden=True, show_read=True)
    query = (
        post_views.view_select(viewer)
        .join(table, and_(table.c.post_id == P.c.id, mine))
        .where(*post_listings.view_filters(viewer, q, show_nsfw=bool(viewer.show_nsfw)))
    )
    order = keyset.reversed_keys(keys) if back else keys
    values: dict[str, Any] = {}
    if cursor_post_id is not None:
        at = select(table.c.published, table.c.post_id).where(mine, table.c.post_id == cursor_post_id)
        found = (await session.execute(at)).first()
        if found is None:
            raise AgoraError(Code.invalid_body_field, "page_cursor refers to no post of this list")
        query = query.where(keyset.beyond(order, "k"))
        values = keyset.cursor_values("k", found)
    query = query.order_by(*keyset.order_by(order)).limit(limit)
    if values:
        query = query.params(values)
    views = [post_views.to_view(row) for row in await session.execute(query)]
    return views[::-1] if back else views
