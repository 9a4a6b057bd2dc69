"""Finding what a request names, for every face: a community or person by id or by name (fetched when remote), a
post with what its page shows, a report, a private message, a registration application.

Each function answers the view or refuses with Lemmy's error code, so a face only turns the view into its own JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.deps import AppState
from agora.domain import posts
from agora.errors import AgoraError, Code
from agora.federation import fetch
from agora.queries import applications as application_queries
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import inbox, post_listings
from agora.queries import persons as person_queries
from agora.queries import posts as post_queries
from agora.queries import reports as report_queries
from agora.queries.applications import ApplicationItem
from agora.queries.inbox import MessageItem, MessageReportItem
from agora.queries.reports import CommentReportItem, PostReportItem
from agora.queries.viewer import Viewer
from agora.queries.views import CommentItem, CommunityItem, ModeratorItem, PersonItem, PostItem

Found = TypeVar("Found")


def found(item: Found | None, missing: Code) -> Found:
    """The item a lookup found, or the request refused with `missing` (Lemmy's "couldnt_find_…") when it found none."""
    if item is None:
        raise AgoraError(missing)
    return item


async def _actor_id(
    db: AsyncSession,
    viewer: Viewer | None,
    here: LocalInstance,
    state: AppState,
    actor_id: int | None,
    name: str | None,
    kind: str,
) -> int | None:
    """The id given, else the local actor of that name, else (for a reader who is logged in) the remote actor of
    that `name@host`, fetched by WebFinger; None when nothing is found. Refuses a request that names neither."""
    if actor_id is not None:
        return actor_id
    if not name:
        raise AgoraError(Code.no_id_given)
    find = community_queries.find_id if kind == "Group" else person_queries.find_id
    local = await find(db, here.instance_id, name)
    if local is None and "@" in name and viewer is not None:
        return await fetch.actor_by_handle(state, name, kind)
    return local


async def community_by_id_or_name(
    db: AsyncSession,
    viewer: Viewer | None,
    here: LocalInstance,
    state: AppState,
    community_id: int | None,
    name: str | None,
) -> CommunityItem:
    """The community a `GetCommunity` names, as the viewer may see it."""
    actor_id = await _actor_id(db, viewer, here, state, community_id, name, "Group")
    view = await community_queries.get_view(db, viewer, actor_id) if actor_id is not None else None
    return found(view, Code.couldnt_find_community)


async def listed_community_id(
    db: AsyncSession, here: LocalInstance, community_id: int | None, name: str | None
) -> int | None:
    """The community a listing narrows to, by id or else by a name known here; None when neither is given."""
    if community_id is not None or not name:
        return community_id
    return found(await community_queries.find_id(db, here.instance_id, name), Code.couldnt_find_community)


async def person_id_of(
    db: AsyncSession,
    viewer: Viewer | None,
    here: LocalInstance,
    state: AppState,
    person_id: int | None,
    name: str | None,
) -> int:
    """The id of the person a `GetPersonDetails` (or 1.0's person content) names; refused when none is found."""
    return found(await _actor_id(db, viewer, here, state, person_id, name, "Person"), Code.couldnt_find_person)


async def person(db: AsyncSession, person_id: int) -> PersonItem:
    return found(await person_queries.get_view(db, person_id), Code.couldnt_find_person)


async def community(
    db: AsyncSession, viewer: Viewer | None, community_id: int, *, any_state: bool = False
) -> CommunityItem:
    """The community as `viewer` may see it; `any_state` also finds it deleted or removed (after a write to it)."""
    return found(
        await community_queries.get_view(db, viewer, community_id, any_state=any_state), Code.couldnt_find_community
    )


async def post(db: AsyncSession, viewer: Viewer | None, post_id: int) -> PostItem:
    """The post with the viewer's flags, whatever its state: for answering a write the viewer was allowed to make."""
    return found(await post_queries.get_post_view(db, viewer, post_id), Code.couldnt_find_post)


async def comment(db: AsyncSession, viewer: Viewer | None, comment_id: int) -> CommentItem:
    return found(await comment_queries.get_comment_view(db, viewer, comment_id), Code.couldnt_find_comment)


@dataclass(frozen=True)
class PostPage:
    """What a post's page shows besides the post: its community, moderators and cross-posts."""

    view: PostItem
    community: CommunityItem
    moderators: list[ModeratorItem]
    cross_posts: list[PostItem]

    def can_mod(self, viewer: Viewer | None) -> bool:
        return viewer is not None and (
            viewer.admin or any(m.moderator["id"] == viewer.person_id for m in self.moderators)
        )


async def open_post(
    db: AsyncSession,
    viewer: Viewer | None,
    state: AppState,
    post_id: int | None,
    comment_id: int | None,
    *,
    no_id: Code,
) -> PostPage:
    """The post given by its id or by one of its comments' (refused with `no_id` when neither is given), with its
    page; a logged-in reader has it marked read.

    The mark is its own short write, after the read session gives its connection back: on PostgreSQL both come
    from one pool, and a burst of readers each holding one and waiting for another would take them all.
    """
    if post_id is None and comment_id is not None:
        comment = found(await comment_queries.get_comment_view(db, viewer, comment_id), Code.couldnt_find_comment)
        post_id = comment.comment["post_id"]
    if post_id is None:
        raise AgoraError(no_id)
    view = found(await post_queries.visible_post_view(db, viewer, post_id), Code.couldnt_find_post)
    community = found(
        await community_queries.get_view(db, viewer, view.post["community_id"]), Code.couldnt_find_community
    )
    moderators = await community_queries.moderators(db, view.post["community_id"])
    crosses = await post_listings.cross_posts(db, viewer, view)
    if viewer is not None:
        await db.close()
        async with state.db.write() as write:
            await posts.upsert_read(write, viewer.person_id, post_id, view.post["comments"])
    return PostPage(view, community, moderators, crosses)


async def post_report(db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False) -> PostReportItem:
    """The post report as the viewer may see it (`reporter`: the one they just filed, before they moderate)."""
    return found(
        await report_queries.post_report(db, viewer, report_id, reporter=reporter), Code.couldnt_find_post_report
    )


async def comment_report(
    db: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False
) -> CommentReportItem:
    return found(
        await report_queries.comment_report(db, viewer, report_id, reporter=reporter), Code.couldnt_find_comment_report
    )


async def message(db: AsyncSession, viewer: Viewer, message_id: int) -> MessageItem:
    return found(await inbox.message(db, viewer, message_id), Code.couldnt_find_private_message)


async def message_report(db: AsyncSession, report_id: int) -> MessageReportItem:
    """A private message's report, for admins (the only ones who see them)."""
    reports = await inbox.message_reports(db, unresolved_only=False, page=1, limit=1, report_id=report_id)
    if not reports:
        raise AgoraError(Code.couldnt_find_private_message_report)
    return reports[0]


async def application(
    db: AsyncSession, *, application_id: int | None = None, person_id: int | None = None
) -> ApplicationItem:
    """The registration application with that id, or the one that person filed."""
    views = await application_queries.list_views(
        db, unread_only=False, application_id=application_id, person_id=person_id, limit=1
    )
    if not views:
        raise AgoraError(Code.couldnt_find_registration_application)
    return views[0]
