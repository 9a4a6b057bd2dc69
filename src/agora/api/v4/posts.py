"""/post/*: the listing (keyset cursors both ways), read, create, edit, delete, vote, save, read marks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shared_routes import per_face, reads
from agora.api.v4 import paging
from agora.api.v4.shapes import posts as shapes
from agora.api.v4.shapes.base import SuccessResponse
from agora.api.v4.shapes.enums import listing_type, post_sort
from agora.api.v4.shapes.objects import person_json
from agora.api.v4.shapes.views import community_view_json, moderator_view_json, post_view_json, with_notifications
from agora.deps import MESSAGE, Here, Member, ReadDb, Reader, SiteSettings, State, WriteDb, rate_limited
from agora.domain import comments, limits, permissions, posts
from agora.errors import AgoraError, Code
from agora.media import link_metadata, link_previews
from agora.queries import community_tags as tag_queries
from agora.queries import multi_communities as multi_queries
from agora.queries import notification_modes as mode_queries
from agora.queries import post_listings
from agora.queries import votes as vote_queries
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["v4: post"])


async def post_response(db: AsyncSession, viewer: Viewer, post_id: int) -> Response:
    view = await lookups.post(db, viewer, post_id)
    await tag_queries.attach_to_posts(db, [view])
    return json_response({"post_view": post_view_json(view)})


async def _multi_community_of(db: AsyncSession, params: shapes.GetPosts, site: dict[str, Any]) -> int | None:
    """The multi-community a listing reads: asked by id or name, or the site's suggested one ("suggested")."""
    if params.multi_community_id is not None:
        return (await multi_queries.get_view(db, None, multi_id=params.multi_community_id)).multi["id"]
    if params.multi_community_name:
        found = await multi_queries.find_id(db, params.multi_community_name)
        if found is None:
            raise AgoraError(Code.not_found, "no such multi-community")
        return found
    if params.type_ == "suggested":
        suggested: int | None = site.get("suggested_multi_community_id")
        return suggested
    return None


POST_ANSWER = per_face.Answer(post_response, shapes.PostResponse)


@router.get("/post/list", response_model=shapes.PagedPosts, dependencies=[MESSAGE])
async def list_posts(
    params: Annotated[shapes.GetPosts, Query()], db: ReadDb, viewer: Reader, here: Here, site: SiteSettings
) -> Response:
    limit = paging.limit_of(params.limit, default=20)
    cursor = paging.read_cursor(params.page_cursor)
    if cursor is not None and cursor.direction == paging.OFFSET:
        raise AgoraError(Code.invalid_body_field, "page_cursor is not one this listing gave")
    community_id = await lookups.listed_community_id(db, here, params.community_id, params.community_name)
    multi_id = await _multi_community_of(db, params, site)
    if multi_id is not None and community_id is not None:
        raise AgoraError(Code.cannot_combine_community_id_and_multi_community_id)
    if params.type_ == "suggested" and multi_id is None:  # the site suggests no multi-community
        return json_response(paging.paged([]))
    kind = "All" if multi_id is not None else listing_type(params.type_)
    if kind is None:
        kind = "All" if community_id is not None else (viewer.default_listing_type if viewer else None)
        kind = kind or site["default_post_listing_type"]
    sort = post_sort(params.sort, params.time_range_seconds)
    sort = sort or (viewer.default_sort_type if viewer else site["default_sort_type"])
    show_nsfw = params.show_nsfw if params.show_nsfw is not None or viewer is not None else False
    page = await post_listings.list_posts(
        db,
        viewer,
        post_listings.PostQuery(
            listing_type=kind,
            sort=sort,
            community_id=community_id,
            multi_community_id=multi_id,
            show_hidden=bool(params.show_hidden),
            show_read=params.show_read,
            show_nsfw=show_nsfw,
            limit=limit,
            cursor=cursor.key if cursor else None,
            page_back=paging.going_back(cursor),
            tag_id=params.tag_id,
        ),
    )
    await tag_queries.attach_to_posts(db, page.posts)
    keys = [post_listings.encode_cursor(view.post["id"]) for view in page.posts]
    items = [post_view_json(view) for view in page.posts]
    return json_response(paging.keyset_paged(items, keys, limit, cursor))


async def post_page(db: AsyncSession, viewer: Viewer | None, page: lookups.PostPage) -> Response:
    """GetPostResponse: the post, its community (with their tags and the reader's notification modes), its
    moderators and cross-posts."""
    view, community, moderators, crosses = page.view, page.community, page.moderators, page.cross_posts
    can_mod = page.can_mod(viewer)
    await tag_queries.attach_to_posts(db, [view, *crosses])
    await tag_queries.attach_to_communities(db, [community])
    post_mode = await mode_queries.post_mode(db, viewer, view.post["id"])
    community_mode = await mode_queries.community_mode(db, viewer, community.community["id"])
    return json_response(
        {
            "post_view": with_notifications(post_view_json(view, can_mod=can_mod), "post_actions", post_mode),
            "community_view": with_notifications(
                community_view_json(community, can_mod=can_mod), "community_actions", community_mode
            ),
            "moderators": [moderator_view_json(m) for m in moderators],
            "cross_posts": [post_view_json(v) for v in crosses],
        }
    )


get_post = reads.get_post(post_page, no_id=Code.no_id_given)
router.get("/post", response_model=shapes.GetPostResponse, dependencies=[MESSAGE])(get_post)


@router.post("/post", response_model=shapes.PostResponse, dependencies=[rate_limited("post")])
async def create_post(form: shapes.CreatePost, member: Member, db: WriteDb, here: Here, state: State) -> Response:
    post = await posts.create(db, here, member, posts.PostForm(**form.model_dump()))
    response = await post_response(db, member, post.id)
    response.background = link_previews.after_answer(state, post)
    return response


@router.put("/post", response_model=shapes.PostResponse, dependencies=[MESSAGE])
async def edit_post(form: shapes.EditPost, member: Member, db: WriteDb, here: Here, state: State) -> Response:
    post = await posts.edit(db, here, member, form.post_id, form.model_dump(exclude_unset=True, exclude={"post_id"}))
    response = await post_response(db, member, form.post_id)
    response.background = link_previews.after_answer(state, post)
    return response


router.include_router(
    per_face.post_router(POST_ANSWER, delete=per_face.Route("DELETE", "/post"), like=shapes.CreatePostLike)
)


@router.post("/post/mark_as_read", response_model=shapes.PostResponse, dependencies=[MESSAGE])
async def mark_post_as_read(form: shapes.MarkPostAsRead, member: Member, db: WriteDb) -> Response:
    await posts.mark_read(db, member, [form.post_id], form.read)
    return await post_response(db, member, form.post_id)


@router.post("/post/mark_as_read/many", response_model=SuccessResponse, dependencies=[MESSAGE])
async def mark_many_posts_as_read(form: shapes.MarkManyPostsAsRead, member: Member, db: WriteDb) -> Response:
    await posts.mark_read(db, member, form.post_ids, form.read)
    return json_response({"success": True})


@router.post("/post/hide", response_model=shapes.PostResponse, dependencies=[MESSAGE])
async def hide_post(form: shapes.HidePost, member: Member, db: WriteDb) -> Response:
    await posts.hide(db, member, [form.post_id], form.hide)
    return await post_response(db, member, form.post_id)


@router.get("/post/site_metadata", dependencies=[MESSAGE])
async def site_metadata(params: Annotated[shapes.GetSiteMetadata, Query()], member: Member, state: State) -> Response:
    url = limits.check_url(params.url)
    if url is None:
        raise AgoraError(Code.invalid_url)
    metadata = await link_metadata.fetch(state.outbound, url)
    return json_response({"metadata": metadata.as_json()})


def _vote_views(likes: list[dict]) -> list[dict]:
    return [
        {
            "creator": person_json(like["creator"]),
            "creator_banned": bool(like["creator"].get("banned")),
            "creator_banned_from_community": like["creator_banned_from_community"],
            "is_upvote": like["score"] > 0,
        }
        for like in likes
    ]


@router.get("/post/like/list", dependencies=[MESSAGE])
async def list_post_likes(params: Annotated[shapes.ListPostLikes, Query()], member: Member, db: ReadDb) -> Response:
    limit = paging.limit_of(params.limit, default=50)
    page = paging.offset_page(params.page_cursor)
    post = await posts.get_post(db, params.post_id)
    await permissions.require_mod_or_admin(db, member, post.community_id)
    likes = await vote_queries.post_likes(db, post, page, limit)
    return json_response(paging.offset_paged(_vote_views(likes), page, limit))


@router.get("/comment/like/list", dependencies=[MESSAGE])
async def list_comment_likes(
    params: Annotated[shapes.ListCommentLikes, Query()], member: Member, db: ReadDb
) -> Response:
    limit = paging.limit_of(params.limit, default=50)
    page = paging.offset_page(params.page_cursor)
    comment = await comments.get_comment(db, params.comment_id)
    post = await posts.get_post(db, comment.post_id)
    await permissions.require_mod_or_admin(db, member, post.community_id)
    likes = await vote_queries.comment_likes(db, comment, post.community_id, page, limit)
    return json_response(paging.offset_paged(_vote_views(likes), page, limit))
