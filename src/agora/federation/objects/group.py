"""Group actors (communities): ours as Lemmy serves them, remote ones read leniently."""

from __future__ import annotations

from dataclasses import dataclass

from agora.errors import AgoraError
from agora.federation.objects import CONTEXT, compact, dates, image, moved, origin, reading, source, tags
from agora.federation.objects.person import also_known_as_of, name_of, public_key_of, shared_inbox_of
from agora.text.markdown import render


def group(
    row: dict, public_key_pem: str, shared_inbox: str, languages: list[dict], tag_rows: list[dict] | None = None
) -> dict:
    """`tag_rows`: the community's live tags, offered to its posts (Lemmy 1.0)."""
    url = row["actor_id"]
    return compact(
        {
            "@context": CONTEXT,
            "id": url,
            "type": "Group",
            "preferredUsername": row["name"],
            "name": row["title"],
            "summary": render(row["description"], base_url=origin(url)) if row.get("description") else None,
            "source": source(row.get("description")),
            "sensitive": bool(row.get("nsfw")),
            "icon": image(row.get("icon")),
            "image": image(row.get("banner")),
            "inbox": row.get("inbox_url") or f"{url}/inbox",  # a remote community's own, when we send its copy
            "followers": row.get("followers_url") or f"{url}/followers",
            "attributedTo": row.get("moderators_url") or f"{url}/moderators",
            "featured": row.get("featured_url") or f"{url}/featured",
            "outbox": f"{url}/outbox",
            "postingRestrictedToMods": bool(row.get("posting_restricted_to_mods")),
            # Lemmy 1.0's Private community: follows wait for a moderator (its content only reaches followers)
            "manuallyApprovesFollowers": row.get("visibility") == "Private" or None,
            "endpoints": {"sharedInbox": shared_inbox},
            "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": public_key_pem},
            "language": [{"identifier": lang["code"], "name": lang["name"]} for lang in languages] or None,
            "tag": [tags.tag(t) for t in tag_rows or []] or None,
            **dates(row),
            **moved(row),
        }
    )


@dataclass(frozen=True, slots=True)
class RemoteGroup(reading.RemoteObject):
    name: str
    title: str
    description: str | None
    icon: str | None
    banner: str | None
    nsfw: bool
    posting_restricted_to_mods: bool
    private: bool
    inbox: str
    shared_inbox: str | None
    followers: str | None
    moderators: str | None
    featured: str | None
    outbox: str | None
    public_key: str
    languages: list[str]
    offered_tags: list[tags.RemoteTag]
    also_known_as: list[str]


def _same_host_url(document: dict, field: str, ap_id: str) -> str | None:
    try:
        found = reading.url(document.get(field), field, required=False)
    except AgoraError:
        return None
    return found if found and reading.same_host(found, ap_id) else None


def parse(document: dict) -> RemoteGroup:
    if reading.kind(document) != "Group":
        raise reading.invalid(f"a {reading.kind(document)} is not a community")
    ap_id = reading.url(document.get("id"))
    inbox = reading.url(document.get("inbox"), "inbox")
    if not reading.same_host(inbox, ap_id):
        raise reading.invalid("inbox is on another host than the community")
    name = name_of(document)
    title = (reading.text(document.get("name"), "name", max_length=10_000) or name).strip()
    languages = document.get("language")
    languages = languages if isinstance(languages, list) else [languages] if languages else []
    return RemoteGroup(
        ap_id=ap_id,
        name=name,
        title=title.replace("\n", " ")[:100] or name,
        description=reading.markdown(document, "summary"),
        icon=reading.image_url(document.get("icon")),
        banner=reading.image_url(document.get("image")),
        nsfw=reading.flag(document.get("sensitive")),
        posting_restricted_to_mods=reading.flag(document.get("postingRestrictedToMods")),
        private=reading.flag(document.get("manuallyApprovesFollowers")),
        inbox=inbox,
        shared_inbox=shared_inbox_of(document, ap_id),
        followers=_same_host_url(document, "followers", ap_id),
        moderators=_same_host_url(document, "attributedTo", ap_id) or _same_host_url(document, "moderators", ap_id),
        featured=_same_host_url(document, "featured", ap_id),
        outbox=_same_host_url(document, "outbox", ap_id),
        public_key=public_key_of(document, ap_id),
        languages=[code for code in (reading.language_code(v) for v in languages[:100]) if code],
        **reading.dates(document),
        offered_tags=tags.offered(document, ap_id),
        also_known_as=also_known_as_of(document),
    )
