"""GetModlog and ModlogView: 1.0's one modlog row per action (`kind`, `is_revert`) with the rows it names."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agora.api.shapes.moderation import ModlogTargets
from agora.api.v4.shapes.base import CursorPaging, Paged, Shape
from agora.api.v4.shapes.objects import comment_json, community_json, person_json, post_json
from agora.queries.modlog import ModlogItem

# Agora's (0.19's) action kinds as 1.0's, and the entry flag that marks a revert (a flag whose true value undoes
# the action, such as a moderator "removed"; otherwise a false action flag is the revert, as "removed": false)
KINDS: dict[str, tuple[str, bool | None]] = {
    "ModRemovePost": ("mod_remove_post", False),
    "ModLockPost": ("mod_lock_post", False),
    "ModRemoveComment": ("mod_remove_comment", False),
    "ModLockComment": ("mod_lock_comment", False),
    "ModRemoveCommunity": ("admin_remove_community", False),
    "ModBanFromCommunity": ("mod_ban_from_community", False),
    "ModBan": ("admin_ban", False),
    "ModAddCommunity": ("mod_add_to_community", True),
    "ModTransferCommunity": ("mod_transfer_community", None),
    "ModAdd": ("admin_add", True),
    "ModHideCommunity": ("mod_change_community_visibility", False),
    "AdminPurgePerson": ("admin_purge_person", None),
    "AdminPurgeCommunity": ("admin_purge_community", None),
    "AdminPurgePost": ("admin_purge_post", None),
    "AdminPurgeComment": ("admin_purge_comment", None),
}
FROM_KIND = {v4: v3 for v3, (v4, _) in KINDS.items()}
FROM_KIND.update(
    admin_feature_post_site="ModFeaturePost", mod_feature_post_community="ModFeaturePost", mod_warn_post="AgoraWarn"
)
FROM_KIND["mod_warn_comment"] = "AgoraWarn"


class GetModlog(ModlogTargets, CursorPaging):
    type_: str | None = Field(None, max_length=64)


class ModlogView(Shape):
    modlog: dict[str, Any]


class PagedModlog(Paged[ModlogView]):
    pass


def _kind(entry: dict[str, Any]) -> tuple[str, bool]:
    kind = entry["kind"]
    if kind == "ModFeaturePost":
        name = "mod_feature_post_community" if entry.get("featured_community") else "admin_feature_post_site"
        return name, not entry["flag"]
    if kind == "AgoraWarn":
        return ("mod_warn_comment" if entry.get("comment_id") else "mod_warn_post"), False
    name, revert_flag = KINDS.get(kind, (kind.lower(), None))
    if revert_flag is None:
        return name, False
    return name, bool(entry["flag"]) if revert_flag else not entry["flag"]


def modlog_view_json(item: ModlogItem) -> dict[str, Any]:
    entry = item.entry
    kind, is_revert = _kind(entry)
    modlog: dict[str, Any] = {
        "id": entry["id"],
        "kind": kind,
        "is_revert": is_revert,
        "published_at": entry["when_"],
        "child_count": 0,
    }
    if entry.get("reason"):
        modlog["reason"] = entry["reason"]
    if entry.get("expires"):
        modlog["expires_at"] = entry["expires"]
    out: dict[str, Any] = {"modlog": modlog}
    for key, row, shape in (
        ("moderator", item.moderator, person_json),
        ("target_person", item.other_person, person_json),
        ("target_community", item.community, community_json),
        ("target_post", item.post, post_json),
        ("target_comment", item.comment, comment_json),
    ):
        if row is not None:
            out[key] = shape(row)
    return out
