"""Fetching ActivityPub documents from other servers: by id, by WebFinger handle, and NodeInfo.

Every fetch goes through the one outbound client (size cap, time-out, no private addresses outside the debug
setting), is signed by our instance actor (Mastodon's secure mode and Lemmy's signed fetch need it), asks for
ActivityPub JSON, refuses instances the site blocks, and checks that the document's id lives on the host that
served it, so a server can never hand us another server's objects.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import orjson

from agora.db.models import Site
from agora.deps import AppState
from agora.errors import AgoraError, Code
from agora.federation import keys, signatures
from agora.federation.objects import reading
from agora.outbound import FetchResult, OutboundError, Signer

ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
JSON_TYPES = ("application/activity+json", "application/ld+json", "application/json", "application/jrd+json")
MAX_BYTES = 1024 * 1024
HANDLE = re.compile(r"^[!@]?([^@\s/]{1,255})@([a-z0-9.\-]{1,255}(?::\d{1,5})?)$", re.IGNORECASE)


def gone(url: str) -> AgoraError:
    """The object was deleted on its server (404, 410 or a Tombstone): status 410 tells callers apart."""
    return AgoraError(Code.couldnt_find_object, f"{url} is gone", status=410)


async def instance_signer(state: AppState) -> Signer:
    """sign(method, url, headers) with the instance actor's key, made on first use and cached in the process."""
    cached = state.extras.get("instance_key")
    if cached is None:
        async with state.db.write() as session:
            cached = state.extras["instance_key"] = await keys.private_key(session, Site, state.here.site_id)
    key_id = f"{state.here.base_url}/#main-key"

    def sign(method: str, url: str, headers: dict[str, str]) -> dict[str, str]:
        return {**headers, **signatures.sign_headers(method, url, None, key_id, cached)}

    return sign


async def host_refusal(state: AppState, domain: str) -> Code | None:
    """Why the site's allow and block lists keep `domain` out, or None when they let it in."""
    rules = (await state.site_cache.get_settings(state.db, state.here))["federation_rules"]
    rule = rules.get(domain) or rules.get(_without_port(domain))
    if rule == "blocked":
        return Code.domain_blocked
    if "allowed" in rules.values() and rule != "allowed" and domain != state.here.domain:
        return Code.domain_not_in_allow_list
    return None


def _without_port(domain: str) -> str:
    """An entry that names a host without a port stands for that host on any port, as in Lemmy."""
    name, _, port = domain.rpartition(":")
    return name if name and port.isdigit() else domain


async def check_host_allowed(state: AppState, url: str) -> None:
    """The site's allow and block lists, for every fetch and every received activity."""
    domain = reading.host(url)
    refusal = await host_refusal(state, domain)
    if refusal == Code.domain_blocked:
        raise AgoraError(refusal, f"{domain} is blocked by this instance", status=403)
    if refusal == Code.domain_not_in_allow_list:
        raise AgoraError(refusal, f"{domain} is not on this instance's allow list", status=403)


def _decode(body: bytes, url: str) -> dict:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise AgoraError(Code.couldnt_find_object, f"{url} did not answer JSON") from error
    if not isinstance(document, dict):
        raise AgoraError(Code.couldnt_find_object, f"{url} did not answer a JSON object")
    return document


async def document(state: AppState, url: str, *, moved: bool = False) -> dict:
    """GET an ActivityPub object by its id; raises gone() when deleted, OutboundError when unreachable (retry).
    `moved`: `url` need not be the object's id, which may be on the host a redirect led to (a server's own URL
    for another server's post redirects there); only a search asks for that, never an activity's references."""
    url = reading.url(url, "url")
    if reading.host(url) == state.here.domain:
        raise AgoraError(Code.couldnt_find_object, "our own objects are never fetched")
    await check_host_allowed(state, url)
    sign = await instance_signer(state)
    result = await state.outbound.get(url, headers={"Accept": ACCEPT}, sign=sign, max_bytes=MAX_BYTES)
    if result.status in (404, 410):
        raise gone(url)
    if result.status in (408, 429) or result.status >= 500:
        raise OutboundError(f"{reading.host(url)} answered {result.status}", status=result.status)
    if result.status >= 300:
        raise AgoraError(Code.couldnt_find_object, f"{url} answered {result.status}")
    if result.content_type not in JSON_TYPES:
        raise AgoraError(Code.couldnt_find_object, f"{url} is {result.content_type or 'untyped'}, not ActivityPub")
    found = _decode(result.content, url)
    if found.get("type") == "Tombstone":
        raise gone(url)
    found_id = reading.url(found.get("id"), "id")
    # After redirects the document must come from its own host (Lemmy's rule), or it could speak for another.
    if not reading.same_host(found_id, result.url) or not (moved or reading.same_host(found_id, url)):
        raise AgoraError(Code.couldnt_find_object, f"{url} answered a document of another host")
    return found


async def _get_well_known(state: AppState, domain: str, path: str, **options: Any) -> FetchResult:
    """GET https://domain/path; with the debug setting, which allows plain http (loopback tests, Lemmy's test
    instances), http is tried when https cannot be had, never instead of it."""
    try:
        return await state.outbound.get(f"https://{domain}{path}", **options)
    except OutboundError:
        if not state.settings.federation_debug:
            raise
    return await state.outbound.get(f"http://{domain}{path}", **options)


async def webfinger(state: AppState, name: str, domain: str, kind: str | None) -> str:
    """The actor URL of `name@domain` (kind "Group" or "Person", by WebFinger's type hint when there are both;
    None: a person first, else whatever the host names)."""
    await check_host_allowed(state, f"https://{domain}/")
    resource = quote(f"acct:{name}@{domain}", safe=":@")
    path = f"/.well-known/webfinger?resource={resource}"
    url = f"https://{domain}{path}"
    result = await _get_well_known(state, domain, path, headers={"Accept": "application/jrd+json, application/json"})
    if result.status >= 400:
        raise AgoraError(Code.couldnt_find_object, f"no {name}@{domain}")
    links = _decode(result.content, url).get("links")
    candidates = []
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict) or link.get("rel") != "self":
            continue
        if link.get("type") not in (
            JSON_TYPES[0],
            'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        ):
            continue
        href = reading.url(link.get("href"), "href", required=False)
        if href and reading.host(href) == domain.lower():
            hinted = (link.get("properties") or {}).get("https://www.w3.org/ns/activitystreams#type")
            candidates.append((hinted == (kind or "Person"), href))
    if not candidates:
        raise AgoraError(Code.couldnt_find_object, f"no {name}@{domain}")
    return sorted(candidates, key=lambda c: not c[0])[0][1]


def parse_handle(q: str) -> tuple[str, str, str | None] | None:
    """`!community@host` → (name, host, "Group"); `@person@host` → (name, host, "Person"); a bare `name@host`
    → (name, host, None): a person or a community, whichever the host has (a person first, as Lemmy tries)."""
    match = HANDLE.match(q.strip())
    if not match:
        return None
    port = match.group(2).partition(":")[2]
    if port and int(port) > 65535:
        return None
    sigil = q.strip()[0]
    return match.group(1), match.group(2).lower(), {"!": "Group", "@": "Person"}.get(sigil)


async def nodeinfo(state: AppState, domain: str) -> tuple[str | None, str | None]:
    """(software name, version) an instance publishes in NodeInfo; (None, None) when it says nothing readable."""
    await check_host_allowed(state, f"https://{domain}/")
    links = await _get_well_known(state, domain, "/.well-known/nodeinfo", max_bytes=64 * 1024)
    if links.status != 200:
        return None, None
    hrefs = [link.get("href") for link in _decode(links.content, domain).get("links") or [] if isinstance(link, dict)]
    href = next((h for h in hrefs if isinstance(h, str) and reading.host(h) == domain), None)
    if href is None:
        return None, None
    found = await state.outbound.get(href, max_bytes=64 * 1024)
    software = _decode(found.content, domain).get("software") if found.status == 200 else None
    if not isinstance(software, dict):
        return None, None
    name, version = software.get("name"), software.get("version")
    return (name[:64] if isinstance(name, str) else None), (version[:64] if isinstance(version, str) else None)
