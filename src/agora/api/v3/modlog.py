"""GET /modlog, and Agora's warnings under /agora/warning."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.v3.paging import paging
from agora.api.v3.shapes import moderation as shapes
from agora.api.v3.shapes.modlog import modlog_json
from agora.deps import MESSAGE, Member, ReadDb, Reader, SiteSettings, WriteDb
from agora.domain import permissions, warnings
from agora.errors import AgoraError, Code
from agora.queries import modlog as modlog_queries
from agora.queries import warnings as warning_queries
from agora.responses import json_response

router = APIRouter(tags=["moderation"])


@router.get("/modlog", response_model=shapes.GetModlogResponse, dependencies=[MESSAGE])
async def get_modlog(
    params: Annotated[shapes.GetModlog, Query()], viewer: Reader, db: ReadDb, site: SiteSettings
) -> Response:
    page, limit = paging(params.page, params.limit)
    hide = await modlog_queries.hides_mod_names(db, site, viewer, params.community_id)
    f = params.filter(params.type_, page=page, limit=limit)
    items = await modlog_queries.list_entries(db, viewer, f, hide_mod_names=hide)
    return json_response(modlog_json(items))


@router.post(
    "/agora/warning",
    response_model=shapes.WarningResponse,
    dependencies=[MESSAGE],
    summary="Warn the author of a post or comment (Agora)",
    description="Agora's own route, not in Lemmy: a moderator of the community (or an admin) warns the author of a "
    "post or comment with a reason. The warning is in the modlog (AgoraWarn) and in the person's warning list.",
)
async def create_warning(form: shapes.CreateWarning, member: Member, db: WriteDb) -> Response:
    warning = await warnings.warn(db, member, post_id=form.post_id, comment_id=form.comment_id, reason=form.reason)
    views, _ = await warning_queries.for_person(
        db, warning.person_id, moderated_by=None, page=1, limit=1, show_moderator=True
    )
    return json_response({"warning_view": shapes.warning_view_json(views[0])})


@router.get(
    "/agora/warning/list",
    response_model=shapes.ListWarningsResponse,
    summary="A person's warnings and their count (Agora)",
    description="Without person_id: your own warnings (moderator names hidden when the site hides them in the "
    "modlog). With person_id: admins see all of that person's warnings, moderators those given in communities "
    "they moderate, before they decide on a ban.",
)
async def list_warnings(
    params: Annotated[shapes.ListWarnings, Query()], member: Member, db: ReadDb, site: SiteSettings
) -> Response:
    page, limit = paging(params.page, params.limit)
    person_id = params.person_id or member.person_id
    if person_id == member.person_id:
        show = not modlog_queries.mod_names_hidden(site, member)
        views, total = await warning_queries.for_person(
            db, person_id, moderated_by=None, page=page, limit=limit, show_moderator=show
        )
    else:
        await permissions.get_person(db, person_id)
        if not member.admin and not await warning_queries.moderates_any(db, member.person_id):
            raise AgoraError(Code.not_a_mod_or_admin)
        views, total = await warning_queries.for_person(
            db,
            person_id,
            moderated_by=None if member.admin else member.person_id,
            page=page,
            limit=limit,
            show_moderator=True,
        )
    return json_response({"warnings": [shapes.warning_view_json(v) for v in views], "count": total})
