"""Moderator actions: remove, lock, feature, distinguish, bans; admins remove and hide communities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shared_routes import per_face
from agora.api.v3.comments import COMMENT_ANSWER
from agora.api.v3.communities import COMMUNITY_ANSWER
from agora.api.v3.paging import paging
from agora.api.v3.posts import POST_ANSWER, post_response
from agora.api.v3.shapes import moderation as shapes
from agora.api.v3.shapes.objects import person_json
from agora.api.v3.shapes.posts import PostResponse
from agora.api.v3.shapes.views import person_view_json
from agora.deps import MESSAGE, Here, Member, ReadDb, WriteDb
from agora.domain import bans, comments, moderation, permissions, posts
from agora.queries import votes as vote_queries
from agora.queries.paging import PAGE_LIMIT_MAX
from agora.responses import json_response

router = APIRouter(tags=["moderation"])
router.include_router(per_face.moderation_router(POST_ANSWER, COMMENT_ANSWER, COMMUNITY_ANSWER))


@router.post("/post/feature", response_model=PostResponse, dependencies=[MESSAGE])
async def feature_post(form: shapes.FeaturePost, member: Member, db: WriteDb) -> Response:
    await moderation.feature_post(db, member, form.post_id, form.featured, form.feature_type)
    return await post_response(db, member, form.post_id)


@router.post("/community/ban_user", response_model=shapes.BanResponse, dependencies=[MESSAGE])
async def ban_from_community(form: shapes.BanFromCommunity, member: Member, db: WriteDb, here: Here) -> Response:
    await bans.ban_from_community(db, here, member, form.community_id, form.person_id, **form.terms())
    return await ban_response(db, form.person_id, form.ban)


async def ban_response(db: AsyncSession, person_id: int, banned: bool) -> Response:
    view = await lookups.person(db, person_id)
    return json_response({"person_view": person_view_json(view), "banned": banned})


@router.get("/post/like/list", response_model=shapes.ListPostLikesResponse, dependencies=[MESSAGE])
async def list_post_likes(params: Annotated[shapes.ListPostLikes, Query()], member: Member, db: ReadDb) -> Response:
    page, limit = paging(params.page, params.limit, default=PAGE_LIMIT_MAX)
    post = await posts.get_post(db, params.post_id)
    await permissions.require_mod_or_admin(db, member, post.community_id)
    likes = await vote_queries.post_likes(db, post, page, limit)
    return json_response({"post_likes": [{**v, "creator": person_json(v["creator"])} for v in likes]})


@router.get("/comment/like/list", response_model=shapes.ListCommentLikesResponse, dependencies=[MESSAGE])
async def list_comment_likes(
    params: Annotated[shapes.ListCommentLikes, Query()], member: Member, db: ReadDb
) -> Response:
    page, limit = paging(params.page, params.limit, default=PAGE_LIMIT_MAX)
    comment = await comments.get_comment(db, params.comment_id)
    post = await posts.get_post(db, comment.post_id)
    await permissions.require_mod_or_admin(db, member, post.community_id)
    likes = await vote_queries.comment_likes(db, comment, post.community_id, page, limit)
    return json_response({"comment_likes": [{**v, "creator": person_json(v["creator"])} for v in likes]})
