"""Lemmy 1.0's community tags in ActivityPub: `CommunityPostTag` entries in a Group's `tag` (the tags it offers)
and in a Page's `tag` (those the post carries). A tag's id is its community's: only ids on the community's host
are believed."""

from __future__ import annotations

from dataclasses import dataclass

from agora.domain.community_tags import COLORS, TAGS_MAX
from agora.errors import AgoraError
from agora.federation.objects import compact, reading

KIND = "CommunityPostTag"


def tag(row: dict) -> dict:
    return compact(
        {
            "type": KIND,
            "id": row["ap_id"],
            "preferredUsername": row["name"],
            "name": row.get("display_name"),
            "content": row.get("summary"),
            "color": row.get("color"),
        }
    )


@dataclass(frozen=True, slots=True)
class RemoteTag:
    ap_id: str
    name: str
    display_name: str | None
    summary: str | None
    color: str | None


def _entries(document: dict) -> list[dict]:
    found = document.get("tag")
    found = found if isinstance(found, list) else [found] if found else []
    return [entry for entry in found[: TAGS_MAX * 4] if isinstance(entry, dict) and entry.get("type") == KIND]


def _one(entry: dict, host_of: str) -> RemoteTag | None:
    """A tag entry, or None when it is unreadable or its id is not on `host_of`'s host."""
    try:
        ap_id = reading.url(entry.get("id"), "tag.id")
        name = reading.text(entry.get("preferredUsername"), "tag.preferredUsername", max_length=255)
        display_name = reading.text(entry.get("name"), "tag.name", max_length=255)
        summary = reading.text(entry.get("content"), "tag.content", max_length=10_000)
    except AgoraError:
        return None
    if not name or not ap_id or not reading.same_host(ap_id, host_of):
        return None
    color = entry.get("color")
    return RemoteTag(
        ap_id, name.strip(), display_name, summary, color if isinstance(color, str) and color in COLORS else None
    )


def offered(document: dict, community_id: str) -> list[RemoteTag]:
    """The tags a Group offers, those with ids on its own host."""
    found = (_one(entry, community_id) for entry in _entries(document))
    return [tag for tag in found if tag is not None][:TAGS_MAX]


def carried(document: dict) -> list[str]:
    """The ids of the community tags a Page carries (checked against its community's tags when applied)."""
    out: list[str] = []
    for entry in _entries(document):
        try:
            ap_id = reading.url(entry.get("id"), "tag.id", required=False)
        except AgoraError:
            continue
        if ap_id and ap_id not in out:
            out.append(ap_id)
    return out[:TAGS_MAX]
