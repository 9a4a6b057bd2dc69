"""ActivityPub objects in Lemmy's shapes, one module per kind: person, group, page (posts), note (comments),
message (ChatMessage), instance (the Application actor). Each builds the JSON we serve and parses, leniently, what
other servers send (`reading` holds the shared readers)."""

from __future__ import annotations

from datetime import datetime

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "lemmy": "https://join-lemmy.org/ns#",
        "litepub": "http://litepub.social/ns#",
        "pt": "https://joinpeertube.org/ns#",
        "sc": "http://schema.org/",
        "ChatMessage": "litepub:ChatMessage",
        "commentsEnabled": "pt:commentsEnabled",
        "sensitive": "as:sensitive",
        "matrixUserId": "lemmy:matrixUserId",
        "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
        "moderators": {"@type": "@id", "@id": "lemmy:moderators"},
        "expires": "as:endTime",
        "distinguished": "lemmy:distinguished",
        "language": "sc:inLanguage",
        "identifier": "sc:identifier",
        "alsoKnownAs": {"@type": "@id", "@id": "as:alsoKnownAs"},
        "movedTo": {"@type": "@id", "@id": "as:movedTo"},
    },
]


def moved(row: dict) -> dict:
    """An actor's `alsoKnownAs` and `movedTo` (Mastodon's terms), when its row has them (aliases one a line)."""
    aliases = [line for line in (row.get("also_known_as") or "").splitlines() if line]
    return {"alsoKnownAs": aliases or None, "movedTo": row.get("moved_to")}


def addressed(community: dict) -> list[str]:
    """Whom an object or activity in `community` is addressed to: the community and everyone, or for a Private
    community (Lemmy 1.0) the community and its followers only; Lemmy refuses a Private community's object that
    is addressed to the public."""
    url = community["actor_id"]
    return [url, f"{url}/followers"] if private(community) else [url, PUBLIC]


def private(community: dict) -> bool:
    return community.get("visibility") == "Private"


def origin(url: str) -> str:
    """`scheme://host[:port]` of an id: the base of the absolute links in the HTML we send."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def dates(row: dict) -> dict:
    """A row's `published` and `updated` as Lemmy writes them (`updated` left out while never edited)."""
    return {"published": iso(row["published"]), "updated": iso(row.get("updated"))}


def image(url: str | None) -> dict | None:
    return {"type": "Image", "url": url} if url else None


def source(markdown: str | None) -> dict | None:
    return {"content": markdown, "mediaType": "text/markdown"} if markdown else None


def compact(document: dict) -> dict:
    """Leave out absent optional fields, as Lemmy does."""
    return {k: v for k, v in document.items() if v is not None}


def language(row: dict | None) -> dict | None:
    """Lemmy's `language` value for a language row; undetermined is left out."""
    if not row or row.get("code") in (None, "und"):
        return None
    return {"identifier": row["code"], "name": row["name"]}
