"""RSS 2.0 feeds at Lemmy's paths: the instance, a community, a person, and a member's inbox or front page by token.

    /feeds/all.xml?sort=Hot   /feeds/local.xml   /feeds/c/NAME.xml   /feeds/u/NAME.xml
    /feeds/front/JWT.xml      /feeds/inbox/JWT.xml

Feed readers cannot send headers, so the personal feeds carry the login token in the path, as Lemmy's do.
"""

from __future__ import annotations

from email.utils import format_datetime
from typing import Annotated, Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api.v3.shapes.enums import SortType
from agora.core.instance import LocalInstance
from agora.deps import Here, ReadDb
from agora.errors import AgoraError, Code
from agora.queries import communities as community_queries
from agora.queries import inbox, post_listings
from agora.queries import persons as person_queries
from agora.queries import site as site_queries
from agora.queries import viewer as viewers
from agora.queries.viewer import Viewer
from agora.queries.views import PostItem
from agora.text.markdown import render

router = APIRouter(prefix="/feeds", tags=["feeds"])
ITEMS = 20
DC = "http://purl.org/dc/elements/1.1/"
ET.register_namespace("dc", DC)


def _rss(title: str, link: str, description: str, items: list[dict]) -> Response:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    for tag, value in (("title", title), ("link", link), ("description", description)):
        ET.SubElement(channel, tag).text = value
    for item in items:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = item["title"]
        ET.SubElement(node, "link").text = item["link"]
        ET.SubElement(node, "guid", {"isPermaLink": "true"}).text = item["guid"]
        ET.SubElement(node, "pubDate").text = format_datetime(item["published"])
        ET.SubElement(node, f"{{{DC}}}creator").text = item["creator"]
        ET.SubElement(node, "description").text = item["description"]
        if item.get("comments"):
            ET.SubElement(node, "comments").text = item["comments"]
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8")
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def _post_item(here: LocalInstance, view: PostItem) -> dict[str, Any]:
    post = view.post
    page = here.url("post", post["id"])
    html = ""
    if post.get("url"):
        html += f'<p><a href="{_attr(post["url"])}">{_text(post["url"])}</a></p>'
    html += render(post.get("body"))
    counts = f"{post['score']} points, {post['comments']} comments"
    return {
        "title": post["name"],
        "link": post.get("url") or page,
        "guid": page,
        "published": post["published"],
        "creator": view.creator["name"],
        "description": f"{html}<p>{counts} in c/{_text(view.community['name'])}</p>",
        "comments": page,
    }


def _written_item(title: str, link: str, written: dict[str, Any], creator: dict[str, Any]) -> dict[str, Any]:
    """An inbox feed's item: a comment or private message (`written`, with its `content`) at its own page."""
    return {
        "title": title,
        "link": link,
        "guid": link,
        "published": written["published"],
        "creator": creator["name"],
        "description": render(written["content"]),
    }


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


async def _posts(db: AsyncSession, viewer: Viewer | None, here: LocalInstance, **query: Any) -> list[dict]:
    page = await post_listings.list_posts(db, viewer, post_listings.PostQuery(limit=ITEMS, show_nsfw=False, **query))
    return [_post_item(here, v) for v in page.posts]


async def _site_name(db: AsyncSession, here: LocalInstance) -> str:
    return (await site_queries.site_info(db, here)).site["name"]


Sort = Annotated[SortType, Query()]


@router.get("/all.xml", response_class=Response)
async def all_posts(db: ReadDb, here: Here, sort: Sort = "Hot") -> Response:
    items = await _posts(db, None, here, listing_type="All", sort=sort)
    return _rss(f"{await _site_name(db, here)} - All", here.base_url, "Posts from everywhere", items)


@router.get("/local.xml", response_class=Response)
async def local_posts(db: ReadDb, here: Here, sort: Sort = "Hot") -> Response:
    items = await _posts(db, None, here, listing_type="Local", sort=sort)
    return _rss(f"{await _site_name(db, here)} - Local", here.base_url, "Posts from this instance", items)


@router.get("/c/{name}.xml", response_class=Response)
async def community_posts(name: str, db: ReadDb, here: Here, sort: Sort = "Hot") -> Response:
    community_id = await community_queries.find_id(db, here.instance_id, name[:255])
    view = await community_queries.get_view(db, None, community_id) if community_id else None
    if view is None:
        raise AgoraError(Code.couldnt_find_community, status=404)
    items = await _posts(db, None, here, listing_type="All", sort=sort, community_id=community_id)
    community = view.community
    return _rss(community["title"], community["actor_id"], community.get("description") or community["title"], items)


@router.get("/u/{name}.xml", response_class=Response)
async def person_posts(name: str, db: ReadDb, here: Here, sort: Sort = "New") -> Response:
    person_id = await person_queries.find_id(db, here.instance_id, name[:255])
    view = await person_queries.get_view(db, person_id) if person_id else None
    if view is None or view.person["deleted"]:
        raise AgoraError(Code.couldnt_find_person, status=404)
    items = await _posts(db, None, here, listing_type="All", sort=sort, creator_id=person_id)
    person = view.person
    return _rss(f"{person['name']} - posts", person["actor_id"], f"Posts by {person['name']}", items)


async def _member(db: AsyncSession, here: LocalInstance, token: str) -> Viewer:
    viewer = await viewers.resolve(db, here, token[:2000])
    if viewer is None:
        raise AgoraError(Code.incorrect_login)
    return viewer


@router.get("/front/{token}.xml", response_class=Response)
async def front_page(token: str, db: ReadDb, here: Here, sort: Sort = "Hot") -> Response:
    viewer = await _member(db, here, token)
    items = await _posts(db, viewer, here, listing_type="Subscribed", sort=sort)
    return _rss(f"{viewer.name} - subscribed", here.base_url, "Posts in your subscribed communities", items)


@router.get("/inbox/{token}.xml", response_class=Response)
async def inbox_feed(token: str, db: ReadDb, here: Here) -> Response:
    viewer = await _member(db, here, token)
    items = []
    for kind, label in (("reply", "Reply"), ("mention", "Mention")):
        for view in await inbox.notifications(db, viewer, kind, sort="New", unread_only=False, page=1, limit=ITEMS):
            comment = view.comment
            title = f"{label} from {comment.creator['name']} on {comment.post['name']}"
            items.append(
                _written_item(title, here.url("comment", comment.comment["id"]), comment.comment, comment.creator)
            )
    for message in await inbox.messages(db, viewer, unread_only=False, creator_id=None, page=1, limit=ITEMS):
        if message.message["recipient_id"] != viewer.person_id:
            continue
        title = f"Message from {message.creator['name']}"
        items.append(
            _written_item(title, here.url("private_message", message.message["id"]), message.message, message.creator)
        )
    items.sort(key=lambda item: item["published"], reverse=True)
    return _rss(f"{viewer.name} - inbox", f"{here.base_url}/inbox", "Replies, mentions and messages", items[:ITEMS])
