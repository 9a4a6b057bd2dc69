"""The site's taglines: admins add, edit and delete them one at a time (1.0), or replace the list (0.19's EditSite).

Either way a tagline is markdown of at most MARKDOWN_MAX characters that passes the site's slur filter, and a site
holds at most TAGLINES_MAX of them.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import Tagline
from agora.domain import limits
from agora.domain.permissions import Acting, require_admin
from agora.domain.site import local_site
from agora.errors import AgoraError, Code

TAGLINES_MAX = 1000


def _checked(given: str, slur_filter: str | None) -> str:
    content = limits.check_body(given.strip(), limits.MARKDOWN_MAX)
    if not content:
        raise AgoraError(Code.invalid_body_field, "a tagline needs some text")
    limits.check_slurs(slur_filter, content)
    return content


async def _content(session: AsyncSession, here: LocalInstance, given: str) -> str:
    return _checked(given, (await local_site(session, here)).slur_filter_regex)


async def create(session: AsyncSession, here: LocalInstance, actor: Acting, content: str) -> Tagline:
    require_admin(actor)
    content = await _content(session, here, content)
    held = select(func.count()).select_from(Tagline).where(Tagline.local_site_id == here.local_site_id)
    if (await session.execute(held)).scalar_one() >= TAGLINES_MAX:
        raise AgoraError(Code.too_many_items, f"a site holds at most {TAGLINES_MAX} taglines")
    tagline = Tagline(local_site_id=here.local_site_id, content=content, published=now())
    session.add(tagline)
    await session.flush()
    return tagline


async def _get(session: AsyncSession, here: LocalInstance, tagline_id: int) -> Tagline:
    query = select(Tagline).where(Tagline.id == tagline_id, Tagline.local_site_id == here.local_site_id)
    tagline = (await session.execute(query)).scalar_one_or_none()
    if tagline is None:
        raise AgoraError(Code.not_found, "no such tagline", status=404)
    return tagline


async def edit(session: AsyncSession, here: LocalInstance, actor: Acting, tagline_id: int, content: str) -> Tagline:
    require_admin(actor)
    tagline = await _get(session, here, tagline_id)
    tagline.content = await _content(session, here, content)
    tagline.updated = now()
    await session.flush()
    return tagline


async def remove(session: AsyncSession, here: LocalInstance, actor: Acting, tagline_id: int) -> None:
    require_admin(actor)
    await session.delete(await _get(session, here, tagline_id))
    await session.flush()


async def replace(session: AsyncSession, here: LocalInstance, taglines: list[str]) -> None:
    """The whole list at once (the caller has checked that an admin asks); blank entries are left out."""
    if len(taglines) > TAGLINES_MAX:
        raise AgoraError(Code.too_many_items)
    slur_filter = (await local_site(session, here)).slur_filter_regex
    await session.execute(delete(Tagline).where(Tagline.local_site_id == here.local_site_id))
    for given in taglines:
        if given.strip():
            session.add(Tagline(local_site_id=here.local_site_id, content=_checked(given, slur_filter)))
