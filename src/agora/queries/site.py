"""The site as GET /site shows it, whether it federates, and the caller's own account summary (AccountSummary)."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db import counter_shards
from agora.db.base import Base
from agora.db.cached import site_settings
from agora.db.models import (
    Community,
    CommunityBlock,
    CommunityFollower,
    CommunityModerator,
    CustomEmoji,
    CustomEmojiKeyword,
    Instance,
    InstanceBlock,
    InstancePersonsBlock,
    Language,
    LocalSite,
    LocalSiteRateLimit,
    LocalSiteUrlBlocklist,
    LocalUser,
    LocalUserLanguage,
    Person,
    PersonBlock,
    Site,
    SiteLanguage,
    Tagline,
)
from agora.db.prepared import Prepared, fetch
from agora.queries import columns, persons, rows, visibility
from agora.queries.viewer import Viewer
from agora.queries.views import AccountSummary, LocalUserItem, SiteInfo

SITE = (
    "id",
    "name",
    "sidebar",
    "published",
    "updated",
    "icon",
    "banner",
    "description",
    "actor_id",
    "last_refreshed_at",
    "inbox_url",
    "public_key",
    "instance_id",
    "content_warning",
)
LOCAL_USER = (
    "id",
    "person_id",
    "email",
    "show_nsfw",
    "theme",
    "default_sort_type",
    "default_listing_type",
    "interface_language",
    "show_avatars",
    "send_notifications_to_email",
    "show_scores",
    "show_bot_accounts",
    "show_read_posts",
    "email_verified",
    "accepted_application",
    "open_links_in_new_tab",
    "blur_nsfw",
    "auto_expand",
    "infinite_scroll_enabled",
    "admin",
    "post_listing_mode",
    "totp_2fa_secret",
    "enable_keyboard_navigation",
    "enable_animated_images",
    "collapse_bot_comments",
    "last_donation_notification",
    "vote_display_score",
    "vote_display_upvotes",
    "vote_display_downvotes",
    "vote_display_upvote_percentage",
)


def _row(obj: Base, names: Collection[str] | None = None) -> dict[str, Any]:
    table = obj.__table__
    return {c.name: getattr(obj, c.key) for c in table.columns if names is None or c.name in names}


_languages: list[dict[str, Any]] = []


async def all_languages(session: AsyncSession) -> list[dict[str, Any]]:
    """Lemmy's fixed language list (seeded by the first migration, never edited), read once per process."""
    if not _languages:
        rows = await session.execute(select(Language.id, Language.code, Language.name).order_by(Language.id))
        _languages.extend({"id": r.id, "code": r.code, "name": r.name} for r in rows)
    return _languages


def _fixed(query: Select[*tuple[Any, ...]]) -> Prepared:
    """`query` as a Prepared statement, the same on every dialect."""
    return Prepared(lambda _dialect: query)


@lru_cache(maxsize=1)
def _site_statements() -> dict[str, Prepared]:
    """GET /site's reads: the site with its settings and rate limits in one row, then its lists."""
    site, local, rate = Site.__table__, LocalSite.__table__, LocalSiteRateLimit.__table__
    emoji, keyword, tagline = CustomEmoji.__table__, CustomEmojiKeyword.__table__, Tagline.__table__
    blocked_url = LocalSiteUrlBlocklist.__table__
    queries: dict[str, Select[*tuple[Any, ...]]] = {
        "site": select(*site.c, *counter_shards.columns(local, "local_site"), *rate.c)
        .select_from(site.join(local, local.c.site_id == site.c.id).join(rate, rate.c.local_site_id == local.c.id))
        .where(site.c.id == bindparam("site_id"), local.c.id == bindparam("local_site_id")),
        "languages": select(SiteLanguage.language_id)
        .where(SiteLanguage.site_id == bindparam("site_id"))
        .order_by(SiteLanguage.language_id),
        "taglines": select(*tagline.c).order_by(tagline.c.id),
        "blocked_urls": select(*blocked_url.c).order_by(blocked_url.c.id),
        "emojis": select(*emoji.c, keyword.c.keyword)
        .select_from(emoji.outerjoin(keyword, keyword.c.custom_emoji_id == emoji.c.id))
        .order_by(emoji.c.category, emoji.c.shortcode),
    }
    return {name: _fixed(query) for name, query in queries.items()}


async def site_info(session: AsyncSession, here: LocalInstance) -> SiteInfo:
    statements = _site_statements()
    ids = {"site_id": here.site_id, "local_site_id": here.local_site_id}
    row = (await fetch(session, statements["site"], ids))[0]
    site_names = [c.name for c in Site.__table__.c]
    local_names = [c.name for c in LocalSite.__table__.c]
    rate_names = [c.name for c in LocalSiteRateLimit.__table__.c]
    n_site, n_local = len(site_names), len(local_names)
    site_row = {k: v for k, v in zip(site_names, row[:n_site], strict=True) if k in SITE}
    languages = await all_languages(session)
    discussion = [r[0] for r in await fetch(session, statements["languages"], ids)]
    tagline_names = [c.name for c in Tagline.__table__.c]
    taglines = [dict(zip(tagline_names, r, strict=True)) for r in await fetch(session, statements["taglines"], {})]
    url_names = [c.name for c in LocalSiteUrlBlocklist.__table__.c]
    blocked_urls = [dict(zip(url_names, r, strict=True)) for r in await fetch(session, statements["blocked_urls"], {})]
    emoji_names = [c.name for c in CustomEmoji.__table__.c]
    emojis: dict[int, tuple[dict[str, Any], list[str]]] = {}
    for r in await fetch(session, statements["emojis"], {}):
        keywords = emojis.setdefault(r[0], (dict(zip(emoji_names, r[:-1], strict=True)), []))[1]
        if r[-1] is not None:
            keywords.append(r[-1])
    return SiteInfo(
        site=site_row,
        local_site=dict(zip(local_names, row[n_site : n_site + n_local], strict=True)),
        rate_limit=dict(zip(rate_names, row[n_site + n_local :], strict=True)),
        admins=await persons.admins(session),
        all_languages=languages,
        discussion_languages=discussion or [lang["id"] for lang in languages],
        taglines=taglines,
        custom_emojis=[(emoji, sorted(keywords)) for emoji, keywords in emojis.values()],
        blocked_urls=blocked_urls,
    )


async def custom_emojis(session: AsyncSession, emoji_id: int | None = None) -> list[tuple[dict[str, Any], list[str]]]:
    """The site's custom emoji (or the one `emoji_id`) with their keywords, by category and shortcode."""
    query = select(CustomEmoji).order_by(CustomEmoji.category, CustomEmoji.shortcode)
    words = select(CustomEmojiKeyword)
    if emoji_id is not None:
        query = query.where(CustomEmoji.id == emoji_id)
        words = words.where(CustomEmojiKeyword.custom_emoji_id == emoji_id)
    emojis = list((await session.execute(query)).scalars())
    keywords: dict[int, list[str]] = {}
    for kw in (await session.execute(words)).scalars():
        keywords.setdefault(kw.custom_emoji_id, []).append(kw.keyword)
    return [(_row(e), sorted(keywords.get(e.id, []))) for e in emojis]


_FOLLOWS, _MODERATES, _BLOCKS = 0, 1, 2
_INSTANCE_COLUMNS = tuple(c.name for c in Instance.__table__.c)
# The local_user columns an account view carries (LOCAL_USER names those the table has).
LOCAL_USER_COLUMNS = tuple(name for name in LOCAL_USER if name in LocalUser.__table__.c)


@lru_cache(maxsize=1)
def _my_user_statements() -> dict[str, Prepared]:
    """A member's own summary in five reads: account with person, the communities they follow, moderate or block
    (one statement, `kind` tells which), blocked people, blocked instances, chosen languages."""
    user, person, comm, instance = LocalUser.__table__, Person.__table__, Community.__table__, Instance.__table__
    person_id: BindParameter[int] = bindparam("person_id")
    local_user_id: BindParameter[int] = bindparam("local_user_id")
    follower, moderator = CommunityFollower.__table__, CommunityModerator.__table__
    community_block, person_block = CommunityBlock.__table__, PersonBlock.__table__
    community_ids = {
        _FOLLOWS: select(follower.c.community_id).where(
            follower.c.person_id == person_id, follower.c.pending == columns.FALSE
        ),
        _MODERATES: select(moderator.c.community_id).where(moderator.c.person_id == person_id),
        _BLOCKS: select(community_block.c.community_id).where(community_block.c.person_id == person_id),
    }
    kinds = union_all(
        *(
            select(literal_column(str(kind)).label("kind"), *columns.labelled(comm, columns.COMMUNITY, "m_")).where(
                comm.c.id.in_(ids)
            )
            for kind, ids in community_ids.items()
        )
    ).subquery("mine")
    queries: dict[str, Select[*tuple[Any, ...]]] = {
        "account": select(*(user.c[name] for name in LOCAL_USER_COLUMNS), *(person.c[n] for n in columns.PERSON))
        .select_from(user.join(person, person.c.id == user.c.person_id))
        .where(user.c.id == local_user_id),
        "communities": select(*kinds.c).order_by(kinds.c.kind, kinds.c.m_name),
        "people": select(*(person.c[n] for n in columns.PERSON)).where(
            person.c.id.in_(select(person_block.c.target_id).where(person_block.c.person_id == person_id))
        ),
        "instances": select(*instance.c).where(
            instance.c.id.in_(
                select(InstanceBlock.__table__.c.instance_id).where(InstanceBlock.__table__.c.person_id == person_id)
            )
        ),
        "instance_persons": select(*instance.c).where(
            instance.c.id.in_(
                select(InstancePersonsBlock.__table__.c.instance_id).where(
                    InstancePersonsBlock.__table__.c.person_id == person_id
                )
            )
        ),
        "languages": select(LocalUserLanguage.__table__.c.language_id)
        .where(LocalUserLanguage.__table__.c.local_user_id == local_user_id)
        .order_by(LocalUserLanguage.__table__.c.language_id),
    }
    return {name: _fixed(query) for name, query in queries.items()}


async def my_user(session: AsyncSession, viewer: Viewer) -> AccountSummary:
    statements = _my_user_statements()
    ids = {"person_id": viewer.person_id, "local_user_id": viewer.local_user_id}
    account = (await fetch(session, statements["account"], ids))[0]
    n = len(LOCAL_USER_COLUMNS)
    communities: dict[int, list[dict[str, Any]]] = {_FOLLOWS: [], _MODERATES: [], _BLOCKS: []}
    for row in await fetch(session, statements["communities"], ids):
        communities[row[0]].append(dict(zip(columns.COMMUNITY, row[1:], strict=True)))
    languages = [row[0] for row in await fetch(session, statements["languages"], ids)]
    if not languages:
        languages = [language["id"] for language in await all_languages(session)]
    return AccountSummary(
        local_user_view=LocalUserItem(
            local_user=dict(zip(LOCAL_USER_COLUMNS, account[:n], strict=True)),
            person=dict(zip(columns.PERSON, account[n:], strict=True)),
        ),
        follows=communities[_FOLLOWS],
        moderates=communities[_MODERATES],
        community_blocks=communities[_BLOCKS],
        instance_blocks=[
            dict(zip(_INSTANCE_COLUMNS, row, strict=True)) for row in await fetch(session, statements["instances"], ids)
        ],
        instance_persons_blocks=[
            dict(zip(_INSTANCE_COLUMNS, row, strict=True))
            for row in await fetch(session, statements["instance_persons"], ids)
        ],
        person_blocks=[
            dict(zip(columns.PERSON, row, strict=True)) for row in await fetch(session, statements["people"], ids)
        ],
        discussion_languages=languages,
    )


async def usage(session: AsyncSession, here: LocalInstance) -> dict[str, int]:
    """The local counts NodeInfo publishes."""
    local = LocalSite.__table__
    names = ("users", "users_active_month", "users_active_half_year", "posts", "comments")
    counts = [counter_shards.counted(local, "local_site", name).label(name) for name in names]
    row = (await session.execute(select(*counts).where(local.c.id == here.local_site_id))).one()
    return dict(zip(names, row, strict=True))


async def row(session: AsyncSession, site_id: int) -> dict[str, Any]:
    return dict((await session.execute(select(Site.__table__).where(Site.id == site_id))).mappings().one())


async def federation_enabled(session: AsyncSession, local_site_id: int) -> bool:
    """Whether anything goes out (queries.visibility.federates: never from a private instance)."""
    local_site = rows.already_loaded(session, LocalSite, local_site_id)  # as this transaction may have changed it
    cached = await site_settings(session) if local_site is None else None
    if cached is not None:
        return visibility.federates(cached)
    if local_site is None:
        query = select(LocalSite.federation_enabled, LocalSite.private_instance).where(LocalSite.id == local_site_id)
        enabled, private = (await session.execute(query)).one()
    else:
        enabled, private = local_site.federation_enabled, local_site.private_instance
    return visibility.federates({"federation_enabled": enabled, "private_instance": private})


async def taglines(session: AsyncSession, here: LocalInstance, *, page: int, limit: int) -> list[dict[str, Any]]:
    """One page of the site's taglines, oldest first (as GET /site lists them)."""
    query = (
        select(*Tagline.__table__.c)
        .where(Tagline.local_site_id == here.local_site_id)
        .order_by(Tagline.id)
        .limit(limit)
        .offset((page - 1) * limit)
    )
    return [dict(r) for r in (await session.execute(query)).mappings()]
