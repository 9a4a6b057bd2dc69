"""The site's URL blocklist (Lemmy's `blocked_urls`): admins replace it; a post's link or any text a member writes
(post body, comment, private message, bio, community description) that names a blocked address is refused with
`blocked_url`, on every surface and for content arriving by federation alike.

An entry is kept as Lemmy keeps it: without scheme or trailing slash ("https://evil.com/" → "evil.com"). It
matches wherever it stands between word boundaries, so "evil.com" blocks https://evil.com/a and "see evil.com."
but not "notevil.com" or "evil.community"; letters match in either case.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import LocalSite, LocalSiteUrlBlocklist
from agora.domain import limits
from agora.errors import AgoraError, Code


def normalise(entry: str) -> str:
    """An admin's entry as stored: scheme and trailing slash dropped, host lower-cased; a bare "evil.com" is read
    as http://evil.com. Raises invalid_url for what is not an address."""
    text = entry.strip()
    if len(text) > limits.URL_MAX:
        raise AgoraError(Code.url_length_overflow)
    if "://" not in text:
        text = f"http://{text}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise AgoraError(Code.invalid_url, f"not an address: {entry[:100]}") from None
    if not parts.hostname or any(ch.isspace() for ch in text):
        raise AgoraError(Code.invalid_url, f"not an address: {entry[:100]}")
    out = parts.hostname.lower() + (f":{port}" if port is not None else "") + parts.path
    if parts.query:
        out += f"?{parts.query}"
    if parts.fragment:
        out += f"#{parts.fragment}"
    return out.rstrip("/")


async def replace(session: AsyncSession, local_site: LocalSite, entries: list[str]) -> None:
    """The whole list becomes `entries` (normalised, duplicates once). Marks the local site updated, which is what
    tells every process that its compiled list is stale (see `check`)."""
    urls = list(dict.fromkeys(normalise(entry) for entry in entries))
    await asyncio.to_thread(compile_list, tuple(urls))  # a list the matcher cannot take is refused here, not on use
    await session.execute(delete(LocalSiteUrlBlocklist))
    session.add_all(LocalSiteUrlBlocklist(url=url) for url in urls)
    local_site.updated = now()
    await session.flush()


async def listed(session: AsyncSession) -> list[LocalSiteUrlBlocklist]:
    return list((await session.execute(select(LocalSiteUrlBlocklist).order_by(LocalSiteUrlBlocklist.id))).scalars())


# Per database: the local site's `updated` when the list was read, and the list as one pattern (None when empty).
_compiled: dict[str, tuple[datetime | None, re.Pattern[str] | None]] = {}


async def check(session: AsyncSession, local_site: LocalSite, *texts: str | None) -> None:
    """Refuse with blocked_url when any of `texts` names a blocked address. The list is read again only when the
    local site row (which the caller has loaded anyway) says it was edited since."""
    await check_as_of(session, local_site.updated, *texts)


async def check_as_of(session: AsyncSession, site_updated: datetime | None, *texts: str | None) -> None:
    """`check`, given when the local site row was last edited (as the settings cache holds it)."""
    if not any(texts):
        return
    key = str(session.bind.engine.url) if session.bind is not None else ""
    known = _compiled.get(key)
    if known is None or known[0] != site_updated:
        urls = tuple((await session.execute(select(LocalSiteUrlBlocklist.url))).scalars())
        known = (site_updated, await asyncio.to_thread(compile_list, urls) if urls else None)
        _compiled[key] = known
    pattern = known[1]
    if pattern is None:
        return
    for text in texts:
        if text and pattern.search(text):
            raise AgoraError(Code.blocked_url)


# A prefix tree of letters; "" marks the end of an entry.
_Node = dict[str, "_Node"]


def compile_list(urls: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the whole list, its alternatives merged into a prefix tree: a search costs about the
    same for ten entries as for ten thousand (a flat alternation tries every entry at every position)."""
    if not urls:
        return None
    try:
        return re.compile(rf"\b(?:{_tree(urls)})\b", re.IGNORECASE)
    except (RecursionError, re.error):
        raise AgoraError(Code.invalid_url, "entries nested too deeply inside each other") from None


def _tree(urls: tuple[str, ...]) -> str:
    root: _Node = {}
    for url in urls:
        node = root
        for ch in url.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    return _branch(root)


def _branch(node: _Node) -> str:
    out = []
    while "" not in node and len(node) == 1:  # a run of single letters needs no group
        ((ch, node),) = node.items()
        out.append(re.escape(ch))
    children = sorted(ch for ch in node if ch)
    if not children:
        return "".join(out)
    alternatives = [re.escape(ch) + _branch(node[ch]) for ch in children]
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if "" in node:  # an entry ends here, and longer ones go on
        body = f"(?:{body})?"
    return "".join(out) + body
