"""Person actors: ours as Lemmy serves them, and remote ones (Lemmy, PieFed, Mbin, Mastodon) read leniently."""

from __future__ import annotations

from dataclasses import dataclass

from agora.errors import AgoraError
from agora.federation.objects import CONTEXT, compact, dates, image, moved, origin, reading, source
from agora.text.markdown import render

PERSON_TYPES = frozenset({"Person", "Service", "Organization"})


def person(row: dict, public_key_pem: str, shared_inbox: str) -> dict:
    """Our person's actor; `alsoKnownAs` and `movedTo` as Mastodon writes them, when the member set them."""
    url = row["actor_id"]
    return compact(
        {
            "@context": CONTEXT,
            "id": url,
            "type": "Service" if row.get("bot_account") else "Person",
            "preferredUsername": row["name"],
            "name": row.get("display_name"),
            "summary": render(row["bio"], base_url=origin(url)) if row.get("bio") else None,
            "source": source(row.get("bio")),
            "icon": image(row.get("avatar")),
            "image": image(row.get("banner")),
            "matrixUserId": row.get("matrix_user_id"),
            "inbox": f"{url}/inbox",
            "outbox": f"{url}/outbox",
            "endpoints": {"sharedInbox": shared_inbox},
            "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": public_key_pem},
            **dates(row),
            "discoverable": True,
            **moved(row),
        }
    )


@dataclass(frozen=True, slots=True)
class RemotePerson(reading.RemoteObject):
    name: str
    display_name: str | None
    bio: str | None
    avatar: str | None
    banner: str | None
    inbox: str
    shared_inbox: str | None
    public_key: str
    bot: bool
    matrix_user_id: str | None
    also_known_as: list[str]
    moved_to: str | None


ALIASES_READ = 20  # more than any server lets a member set


def also_known_as_of(document: dict) -> list[str]:
    """The actor's aliases (a URL or a list of them; Mastodon writes a list); what is not a URL is left out."""
    value = document.get("alsoKnownAs")
    values = value if isinstance(value, list) else [value]
    found = []
    for item in values[:ALIASES_READ]:
        try:
            url = reading.url(item, "alsoKnownAs", required=False)
        except AgoraError:
            continue  # one unreadable alias does not make the actor unreadable
        if url and url not in found:
            found.append(url)
    return found


def moved_to_of(document: dict) -> str | None:
    """Where the actor says it moved (`movedTo`), when that is a URL."""
    try:
        return reading.url(document.get("movedTo"), "movedTo", required=False)
    except AgoraError:
        return None


def public_key_of(document: dict, ap_id: str) -> str:
    """The actor's PEM; the key must belong to the actor (owner is the actor, or absent)."""
    key = document.get("publicKey")
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict)), None)
    if not isinstance(key, dict):
        raise reading.invalid("publicKey is missing")
    owner = key.get("owner")
    if owner is not None and owner != ap_id:
        raise reading.invalid("publicKey belongs to another actor")
    pem = reading.text(key.get("publicKeyPem"), "publicKeyPem", required=True, max_length=10_000)
    if "PUBLIC KEY" not in pem:
        raise reading.invalid("publicKeyPem is not a PEM public key")
    return pem


def shared_inbox_of(document: dict, ap_id: str) -> str | None:
    endpoints = document.get("endpoints")
    if not isinstance(endpoints, dict):
        return None
    found = reading.url(endpoints.get("sharedInbox"), "sharedInbox", required=False)
    return found if found and reading.same_host(found, ap_id) else None


def name_of(document: dict) -> str:
    name = reading.text(document.get("preferredUsername"), "preferredUsername", required=True, max_length=255)
    if any(ch in name for ch in "@/ \n\r\t"):
        raise reading.invalid("preferredUsername has characters a name cannot have")
    return name


def parse(document: dict) -> RemotePerson:
    if reading.kind(document) not in PERSON_TYPES:
        raise reading.invalid(f"a {reading.kind(document)} is not a person")
    ap_id = reading.url(document.get("id"))
    inbox = reading.url(document.get("inbox"), "inbox")
    if not reading.same_host(inbox, ap_id):
        raise reading.invalid("inbox is on another host than the actor")
    display = reading.text(document.get("name"), "name", max_length=10_000)
    return RemotePerson(
        ap_id=ap_id,
        name=name_of(document),
        display_name=display.strip()[:50] or None if display else None,
        bio=(reading.markdown(document, "summary") or None),
        avatar=reading.image_url(document.get("icon")),
        banner=reading.image_url(document.get("image")),
        inbox=inbox,
        shared_inbox=shared_inbox_of(document, ap_id),
        public_key=public_key_of(document, ap_id),
        bot=reading.kind(document) == "Service",
        matrix_user_id=reading.text(document.get("matrixUserId"), "matrixUserId", max_length=255),
        **reading.dates(document),
        also_known_as=also_known_as_of(document),
        moved_to=moved_to_of(document),
    )
