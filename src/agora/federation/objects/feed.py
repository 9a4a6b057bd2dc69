"""Feed actors (multi-communities, Lemmy 1.0): ours as Lemmy serves them, remote ones read leniently.

Lemmy's Feed has no key of its own: it carries the instance actor's key and the site inbox. Its `following`
collection lists the communities' ids; a remote one is believed only from the Feed's own host.
"""

from __future__ import annotations

from dataclasses import dataclass

from agora.federation.objects import CONTEXT, compact, origin, reading, source
from agora.text.markdown import render


def feed(row: dict, owner_url: str, public_key_pem: str, base_url: str) -> dict:
    """Our multi-community `row` (title as `name`, summary as `description`, sidebar as `summary` HTML)."""
    url = row["actor_id"]
    site = f"{base_url}/"
    sidebar = row.get("sidebar")
    document = {
        "type": "Feed",  # in the order of Lemmy's Feed
        "id": url,
        "inbox": f"{base_url}/inbox",
        "publicKey": {"id": f"{site}#main-key", "owner": site, "publicKeyPem": public_key_pem},
        "following": row.get("following_url") or f"{url}/following",
        "preferredUsername": row["name"],
        "name": row.get("title"),
        "description": row.get("summary"),
        "source": source(sidebar),
        "mediaType": "text/html" if sidebar else None,
        "summary": render(sidebar, base_url=origin(url)) if sidebar else None,
        "attributedTo": owner_url,
    }
    return compact({"@context": CONTEXT, **document})


def following(url: str, community_urls: list[str]) -> dict:
    """The `following` collection: the listed communities' ids (Lemmy's unordered Collection)."""
    return {
        "@context": CONTEXT,
        "type": "Collection",
        "id": url,
        "totalItems": len(community_urls),
        "items": community_urls,
    }


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    ap_id: str
    name: str
    title: str | None
    summary: str | None
    sidebar: str | None
    owner: str
    inbox: str | None
    following: str
    public_key: str | None


def parse(document: dict) -> RemoteFeed:
    if reading.kind(document) != "Feed":
        raise reading.invalid("not a Feed")
    ap_id = reading.url(document.get("id"))
    following_url = reading.url(document.get("following"), "following")
    if not reading.same_host(ap_id, following_url):
        raise reading.invalid("a Feed's following collection lives on its own server")
    return RemoteFeed(
        ap_id=ap_id,
        name=reading.text(document.get("preferredUsername"), "preferredUsername", required=True, max_length=255),
        title=_cut(reading.text(document.get("name"), "name")),
        summary=_cut(reading.text(document.get("description"), "description")),
        sidebar=reading.markdown(document, "summary"),
        owner=reading.url(document.get("attributedTo"), "attributedTo"),
        inbox=reading.url(document.get("inbox"), "inbox", required=False),
        following=following_url,
        public_key=_pem(document.get("publicKey")),
    )


def _cut(value: str | None) -> str | None:
    """Lemmy truncates a Feed's one-line texts to what it stores; so do we."""
    value = value.strip().split("\n", 1)[0] if value else None
    return value[:255] if value else None


def _pem(key: object) -> str | None:
    """The key a Feed carries (its instance's: Feeds sign nothing of their own), kept as Lemmy keeps it."""
    pem = key.get("publicKeyPem") if isinstance(key, dict) else None
    return pem if isinstance(pem, str) and "PUBLIC KEY" in pem and len(pem) < 10_000 else None


def items(collection: dict, limit: int) -> list[str]:
    """The first `limit` community ids a `following` collection lists (ids or objects with an id)."""
    found = collection.get("items") or collection.get("orderedItems") or []
    out: list[str] = []
    for item in found if isinstance(found, list) else []:
        value = item.get("id") if isinstance(item, dict) else item
        if isinstance(value, str):
            out.append(value)
        if len(out) >= limit:
            break
    return out
