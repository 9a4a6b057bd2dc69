"""/post/*: listings, read, create, edit, delete, vote, save, read marks, hide."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shared_routes import per_face, reads
from agora.api.v3.shapes import posts as shapes
from agora.api.v3.shapes.accounts import SuccessResponse
from agora.api.v3.shapes.polls import poll_json
from agora.api.v3.shapes.views import ListedPosts, community_view_json, moderator_view_json, post_view_json
from agora.deps import MESSAGE, Here, Member, ReadDb, Reader, SiteSettings, State, WriteDb, rate_limited
from agora.domain import limits, polls, posts
from agora.errors import AgoraError, Code
from agora.media import link_metadata, link_previews
from agora.queries import polls as poll_queries
from agora.queries import post_listings
from agora.queries.paging import PAGE_LIMIT_MAX, PAGE_MAX
from agora.queries.viewer import Viewer
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["post"])


async def post_response(db: AsyncSession, viewer: Viewer, post_id: int, *, poll: bool = False) -> Response:
    """The post as it stands after the caller's own write (which they were allowed to make, so they may see it);
    with `poll`, its poll too (Agora's extension), when it has one."""
    body = post_view_json(await lookups.post(db, viewer, post_id))
    if poll:
        await with_poll(db, viewer, body)
    return json_response({"post_view": body})


POST_ANSWER = per_face.Answer(post_response, shapes.PostResponse)


async def with_poll(db: AsyncSession, viewer: Viewer | None, post_view: dict) -> None:
    found = await poll_queries.poll_of(db, post_view["post"]["id"], viewer.person_id if viewer else None)
    if found is not None:
        post_view["poll"] = poll_json(found, viewer is not None)


@router.get("/post/list", response_model=shapes.GetPostsResponse, dependencies=[MESSAGE])
async def list_posts(
    params: Annotated[shapes.GetPosts, Query()], db: ReadDb, viewer: Reader, state: State, site: SiteSettings
) -> Response:
    limit = 10 if params.limit is None else params.limit
    if not 1 <= limit <= PAGE_LIMIT_MAX or (params.page is not None and not 1 <= params.page <= PAGE_MAX):
        raise AgoraError(Code.couldnt_get_posts, "page must be ≥ 1 and limit between 1 and 50")
    community_id = await lookups.listed_community_id(db, state.here, params.community_id, params.community_name)
    listing_type = params.type_ or post_listings.default_listing_type(viewer, site, community_id)
    if listing_type == "Subscribed" and params.page_cursor and params.page and params.page > 1:
        raise AgoraError(Code.couldnt_get_posts, "use either page or page_cursor")
    sort = params.sort or post_listings.default_sort(viewer, site)
    show_nsfw = params.show_nsfw
    if show_nsfw is None and viewer is None:
        show_nsfw = False
    page = await post_listings.list_posts(
        db,
        viewer,
        post_listings.PostQuery(
            listing_type=listing_type,
            sort=sort,
            community_id=community_id,
            saved_only=bool(params.saved_only),
            liked_only=bool(params.liked_only),
            disliked_only=bool(params.disliked_only),
            show_hidden=bool(params.show_hidden),
            show_read=params.show_read,
            show_nsfw=show_nsfw,
            page=params.page,
            limit=limit,
            cursor=params.page_cursor,
            page_back=bool(params.page_back),
        ),
    )
    listed = state.extras.get("api.listed_posts") or state.extras.setdefault("api.listed_posts", ListedPosts())
    body: dict = {"posts": [listed.json(v) for v in page.posts]}
    if page.next_cursor:
        body["next_page"] = page.next_cursor
    return json_response(body)


async def post_page(db: AsyncSession, viewer: Viewer | None, page: lookups.PostPage) -> Response:
    """GetPostResponse: the post (with its poll, Agora's extension), its community, moderators and cross-posts."""
    view, community, moderators, crosses = page.view, page.community, page.moderators, page.cross_posts
    post_view = post_view_json(view)
    await with_poll(db, viewer, post_view)
    return json_response(
        {
            "post_view": post_view,
            "community_view": community_view_json(community),
            "moderators": [moderator_view_json(m) for m in moderators],
            "cross_posts": [post_view_json(v) for v in crosses],
        }
    )


get_post = reads.get_post(post_page, no_id=Code.couldnt_find_post)
router.get("/post", response_model=shapes.GetPostResponse, dependencies=[MESSAGE])(get_post)


@router.post("/post", response_model=shapes.PostResponse, dependencies=[rate_limited("post")])
async def create_post(form: shapes.CreatePost, member: Member, db: WriteDb, here: Here, state: State) -> Response:
    fields = form.model_dump(exclude={"poll"})
    poll = polls.PollForm(**form.poll.model_dump()) if form.poll is not None else None
    post = await posts.create(db, here, member, posts.PostForm(**fields, poll=poll))
    response = await post_response(db, member, post.id, poll=True)
    response.background = link_previews.after_answer(state, post)
    return response


@router.put("/post", response_model=shapes.PostResponse, dependencies=[MESSAGE])
async def edit_post(form: shapes.EditPost, member: Member, db: WriteDb, here: Here, state: State) -> Response:
    post = await posts.edit(db, here, member, form.post_id, form.model_dump(exclude_unset=True, exclude={"post_id"}))
    response = await post_response(db, member, form.post_id, poll=True)
    response.background = link_previews.after_answer(state, post)
    return response


@router.get("/post/site_metadata", response_model=shapes.GetSiteMetadataResponse, dependencies=[MESSAGE])
async def site_metadata(params: Annotated[shapes.GetSiteMetadata, Query()], member: Member, state: State) -> Response:
    url = limits.check_url(params.url)
    if url is None:
        raise AgoraError(Code.invalid_url, "url is empty")
    metadata = await link_metadata.fetch(state.outbound, url)
    return json_response({"metadata": metadata.as_json()})


router.include_router(
    per_face.post_router(POST_ANSWER, delete=per_face.Route("POST", "/post/delete"), like=shapes.CreatePostLike)
)


@router.post("/post/mark_as_read", response_model=SuccessResponse, dependencies=[MESSAGE])
async def mark_post_as_read(form: shapes.MarkPostAsRead, member: Member, db: WriteDb) -> Response:
    ids = list(form.post_ids or [])
    if form.post_id is not None:
        ids.append(form.post_id)
    await posts.mark_read(db, member, ids, form.read)
    return json_response(SUCCESS)


@router.post("/post/hide", response_model=SuccessResponse, dependencies=[MESSAGE])
async def hide_post(form: shapes.HidePost, member: Member, db: WriteDb) -> Response:
    await posts.hide(db, member, form.post_ids, form.hide)
    return json_response(SUCCESS)
