"""Single posts as PostItem: by id whatever their state, or as a viewer may see them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.moderators import is_moderator
from agora.queries import community_access, visibility
from agora.queries.post_views import views_by_ids
from agora.queries.viewer import Viewer
from agora.queries.views import PostItem


async def get_post_view(session: AsyncSession, viewer: Viewer | None, post_id: int) -> PostItem | None:
    """One post with the viewer's flags, whatever its state; callers check `visibility.may_see_post`."""
    views = await views_by_ids(session, viewer, [post_id])
    return views[0] if views else None


async def visible_post_view(session: AsyncSession, viewer: Viewer | None, post_id: int) -> PostItem | None:
    """One post as `viewer` may see it (queries.visibility.may_see_post), else None."""
    view = await get_post_view(session, viewer, post_id)
    if view is None:
        return None
    is_mod = (
        viewer is not None
        and view.post["removed"]
        and await is_moderator(session, viewer.person_id, view.post["community_id"])
    )
    approved = viewer is not None and await community_access.approved_reader(session, view.community, viewer.person_id)
    return (
        view if visibility.may_see_post(viewer, view.post, view.community, is_mod=is_mod, approved=approved) else None
    )
