"""Moderators' and admins' actions: remove, lock, feature, distinguish, bans, moderators, admins (purges are
api.shared_routes')."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups, pictrs
from agora.api.shared_routes import per_face
from agora.api.v4.comments import COMMENT_ANSWER, comment_response
from agora.api.v4.communities import COMMUNITY_ANSWER, community_response
from agora.api.v4.posts import POST_ANSWER, post_response
from agora.api.v4.shapes import moderation as shapes
from agora.api.v4.shapes.comments import CommentResponse
from agora.api.v4.shapes.communities import CommunityResponse, GetCommunityResponse
from agora.api.v4.shapes.posts import PostResponse
from agora.api.v4.shapes.views import community_view_json, moderator_view_json, person_view_json
from agora.deps import MESSAGE, Admin, Here, Member, State, WriteDb
from agora.domain import admins, bans, communities, moderation, warnings
from agora.queries import community_tags as tag_queries
from agora.queries import persons as person_queries
from agora.responses import json_response

router = APIRouter(tags=["v4: moderation"])
router.include_router(
    per_face.moderation_router(
        POST_ANSWER,
        COMMENT_ANSWER,
        COMMUNITY_ANSWER,
        per_face.ModerationForms(shapes.RemovePost, shapes.LockPost, shapes.RemoveComment, shapes.RemoveCommunity),
    )
)


async def person_response(db: AsyncSession, person_id: int) -> Response:
    view = await lookups.person(db, person_id)
    return json_response({"person_view": person_view_json(view)})


@router.post("/post/feature", response_model=PostResponse, dependencies=[MESSAGE])
async def feature_post(form: shapes.FeaturePost, member: Member, db: WriteDb) -> Response:
    await moderation.feature_post(db, member, form.post_id, form.featured, form.feature_type.title())
    return await post_response(db, member, form.post_id)


@router.delete("/community", response_model=CommunityResponse, dependencies=[MESSAGE])
async def delete_community(form: shapes.DeleteCommunity, member: Member, db: WriteDb, here: Here) -> Response:
    await communities.set_deleted(db, here, member, form.community_id, form.deleted)
    return await community_response(db, member, form.community_id)


@router.post("/community/ban_user", response_model=shapes.PersonResponse, dependencies=[MESSAGE])
async def ban_from_community(form: shapes.BanFromCommunity, member: Member, db: WriteDb, here: Here) -> Response:
    await bans.ban_from_community(db, here, member, form.community_id, form.person_id, **form.terms())
    return await person_response(db, form.person_id)


router.include_router(
    per_face.staff_router(
        per_face.ViewAnswer(community_view_json, GetCommunityResponse, load=tag_queries.attach_to_communities),
        per_face.ViewAnswer(moderator_view_json, shapes.AddModToCommunityResponse),
    )
)


@router.post("/admin/ban", response_model=shapes.PersonResponse, dependencies=[MESSAGE])
async def ban_person(form: shapes.BanPerson, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    remove_data = bool(form.remove_or_restore_data)
    await bans.ban_from_site(db, here, admin, form.person_id, **form.terms())
    if form.ban and remove_data:  # their uploads go with their data, as Lemmy's
        await pictrs.release_uploads_of(db, state, form.person_id)
    state.site_cache.invalidate()
    return await person_response(db, form.person_id)


@router.post("/admin/add", response_model=shapes.AddAdminResponse, dependencies=[MESSAGE])
async def add_admin(form: shapes.AddAdmin, admin: Admin, db: WriteDb, state: State) -> Response:
    await admins.set_admin(db, admin, form.person_id, form.added)
    state.site_cache.invalidate()
    return json_response({"admins": [person_view_json(v) for v in await person_queries.admins(db)]})


# 1.0's warnings are Agora's own (the same rows v3's /agora/warning writes): the author is told, the modlog keeps it.
@router.post("/post/warn", response_model=PostResponse, dependencies=[MESSAGE])
async def warn_post(form: shapes.WarnPost, member: Member, db: WriteDb) -> Response:
    await warnings.warn(db, member, post_id=form.post_id, comment_id=None, reason=form.reason)
    return await post_response(db, member, form.post_id)


@router.post("/comment/warn", response_model=CommentResponse, dependencies=[MESSAGE])
async def warn_comment(form: shapes.WarnComment, member: Member, db: WriteDb) -> Response:
    await warnings.warn(db, member, post_id=None, comment_id=form.comment_id, reason=form.reason)
    return await comment_response(db, member, form.comment_id)
