"""Person and Group actors."""

from __future__ import annotations

from agora.federation.objects import CONTEXT, compact, image, iso, source
from agora.text.markdown import render


def person(row: dict, public_key_pem: str, shared_inbox: str) -> dict:
    url = row["actor_id"]
    return compact({
        "@context": CONTEXT,
        "id": url,
        "type": "Service" if row.get("bot_account") else "Person",
        "preferredUsername": row["name"],
        "name": row.get("display_name"),
        "summary": render(row["bio"]) if row.get("bio") else None,
        "source": source(row.get("bio")),
        "icon": image(row.get("avatar")),
        "image": image(row.get("banner")),
        "matrixUserId": row.get("matrix_user_id"),
        "inbox": f"{url}/inbox",
        "outbox": f"{url}/outbox",
        "endpoints": {"sharedInbox": shared_inbox},
        "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": public_key_pem},
        "published": iso(row["published"]),
        "updated": iso(row.get("updated")),
        "discoverable": True,
    })  # fmt: skip


def group(row: dict, public_key_pem: str, shared_inbox: str, languages: list[dict]) -> dict:
    url = row["actor_id"]
    return compact({
        "@context": CONTEXT,
        "id": url,
        "type": "Group",
        "preferredUsername": row["name"],
        "name": row["title"],
        "summary": render(row["description"]) if row.get("description") else None,
        "source": source(row.get("description")),
        "sensitive": bool(row.get("nsfw")),
        "icon": image(row.get("icon")),
        "image": image(row.get("banner")),
        "inbox": f"{url}/inbox",
        "followers": f"{url}/followers",
        "attributedTo": f"{url}/moderators",
        "featured": f"{url}/featured",
        "outbox": f"{url}/outbox",
        "postingRestrictedToMods": bool(row.get("posting_restricted_to_mods")),
        "endpoints": {"sharedInbox": shared_inbox},
        "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": public_key_pem},
        "language": [{"identifier": lang["code"], "name": lang["name"]} for lang in languages] or None,
        "published": iso(row["published"]),
        "updated": iso(row.get("updated")),
    })  # fmt: skip
