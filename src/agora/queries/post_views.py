"""A post as PostItem: the tables it joins, the viewer's flags on it, and views loaded by id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    exists,
    false,
    null,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import (
    Community,
    Person,
    Post,
    PostHide,
    PostLike,
    PostRead,
    PostSaved,
)
from agora.db.prepared import Prepared, fetch
from agora.queries import columns, flags
from agora.queries.id_lists import one_of
from agora.queries.viewer import Viewer
from agora.queries.views import PostItem

P = Post.__table__


CREATOR = Person.__table__.alias("creator")


COMM = Community.__table__.alias("comm")


JOINED = P.join(CREATOR, CREATOR.c.id == P.c.creator_id).join(COMM, COMM.c.id == P.c.community_id)


ASKED = (True, True, True, True)  # every viewer flag of a post view read from its table (see `probes`)


def probes(viewer: Viewer | None) -> tuple[bool, bool, bool, bool]:
    """Which of the viewer's flags a post view must ask its table for: whether the author is blocked, the post
    saved, read, hidden. In a listing, a flag the member has no row of at all (as read with the viewer) is a
    constant instead: half of a 20-post page's database time went to its ten probes per row (0.16 of 0.32 ms on
    the large set). Not after a write of the member's own: the viewer's row was read before it."""
    lists = viewer.lists if viewer is not None else None
    if lists is None:
        return ASKED
    return bool(lists.blocked_people), lists.saved_posts, lists.read_posts, lists.hidden_posts


def viewer_values(viewer: Viewer | None, now: datetime) -> dict[str, Any]:
    if viewer is None:
        return {"now": now}
    values = {"now": now, "vid": viewer.person_id, "luid": viewer.local_user_id, "languages": [0, *viewer.language_ids]}
    if viewer.lists is not None:
        values.update(
            blocked_people=viewer.lists.blocked_people,
            blocked_communities=viewer.lists.blocked_communities,
            blocked_instances=viewer.lists.blocked_instances,
            blocked_instance_persons=viewer.lists.blocked_instance_persons,
        )
    return values


def view_columns(has_viewer: bool, asked: tuple[bool, bool, bool, bool] = ASKED) -> list[ColumnElement[Any]]:
    """The view's columns; `asked` says which viewer flags read their tables (`probes`)."""
    blocks, saved_asked, read_asked, hidden_asked = asked
    cols: list[ColumnElement[Any]] = [
        *columns.labelled(P, columns.POST, "p_"),
        *columns.labelled(CREATOR, columns.PERSON, "c_"),
        *columns.labelled(COMM, columns.COMMUNITY, "m_"),
        *flags.author_flags(CREATOR, P.c.community_id),
        *flags.viewer_flags(has_viewer, CREATOR, P.c.community_id, blocks=blocks),
    ]
    if has_viewer:
        vid: BindParameter[int] = bindparam("vid")
        like, saved, read, hide = PostLike.__table__, PostSaved.__table__, PostRead.__table__, PostHide.__table__
        cols += [
            select(like.c.score)
            .where(like.c.post_id == P.c.id, like.c.person_id == vid)
            .scalar_subquery()
            .label("f_my_vote"),
            (exists().where(saved.c.post_id == P.c.id, saved.c.person_id == vid) if saved_asked else false()).label(
                "f_saved"
            ),
            (
                select(read.c.read_comments).where(read.c.post_id == P.c.id, read.c.person_id == vid).scalar_subquery()
                if read_asked
                else null()
            ).label("f_read_comments"),
            (exists().where(hide.c.post_id == P.c.id, hide.c.person_id == vid) if hidden_asked else false()).label(
                "f_hidden"
            ),
        ]
    return cols


def view_select(viewer: Viewer | None) -> Select[*tuple[Any, ...]]:
    """Post views with the viewer's flags, values bound (for ad-hoc queries such as search)."""
    return select(*view_columns(viewer is not None)).select_from(JOINED).params(viewer_values(viewer, now()))


_FLAGS = PostItem.FLAGS_AT  # the viewer's flags follow the post, creator and community columns


_COMMENTS = columns.POST.index("comments")


def to_view(row: Sequence[Any]) -> PostItem:
    """A row of `view_select` (by position: plain tuples from db.prepared or SQLAlchemy rows)."""
    read_comments, hidden = row[_FLAGS + 8 :] or (None, False)
    return PostItem(
        row,
        read=read_comments is not None,
        hidden=bool(hidden),
        unread_comments=max(0, row[_COMMENTS] - (read_comments or 0)),
        **flags.relations(row, _FLAGS),
    )


@lru_cache(maxsize=32)
def _by_ids(has_viewer: bool, asked: tuple[bool, bool, bool, bool]) -> Prepared:
    query = select(*view_columns(has_viewer, asked)).select_from(JOINED).where(one_of(P.c.id, "ids"))
    return Prepared(lambda _dialect: query)


async def views_by_ids(
    session: AsyncSession, viewer: Viewer | None, post_ids: list[int], *, asked: tuple[bool, ...] = ASKED
) -> list[PostItem]:
    """`asked`: which viewer flags to read (`probes`); a listing may trust what the viewer's row said,
    but not a caller that has just changed the member's rows (a first save answered with its post)."""
    if not post_ids:
        return []
    values = viewer_values(viewer, now())
    values["ids"] = post_ids
    rows = await fetch(session, _by_ids(viewer is not None, asked), values)
    by_id = {view.post["id"]: view for view in map(to_view, rows)}
    return [by_id[i] for i in post_ids if i in by_id]
