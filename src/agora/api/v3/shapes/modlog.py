"""The modlog in Lemmy's shape: one array per action kind, each entry its own table row plus the rows it names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from agora.api.v3.shapes.objects import comment_json, community_json, person_json, post_json
from agora.queries.modlog import ModlogItem

# kind → (response array, the entry's own fields, its flag's name); the entry's key is the kind in snake case
KINDS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "ModRemovePost": ("removed_posts", ("mod_person_id", "post_id", "reason"), "removed"),
    "ModLockPost": ("locked_posts", ("mod_person_id", "post_id"), "locked"),
    "ModFeaturePost": ("featured_posts", ("mod_person_id", "post_id"), "featured"),
    "ModRemoveComment": ("removed_comments", ("mod_person_id", "comment_id", "reason"), "removed"),
    "ModRemoveCommunity": ("removed_communities", ("mod_person_id", "community_id", "reason"), "removed"),
    "ModBanFromCommunity": (
        "banned_from_community",
        ("mod_person_id", "other_person_id", "community_id", "reason", "expires"),
        "banned",
    ),
    "ModBan": ("banned", ("mod_person_id", "other_person_id", "reason", "expires"), "banned"),
    "ModAddCommunity": ("added_to_community", ("mod_person_id", "other_person_id", "community_id"), "removed"),
    "ModTransferCommunity": ("transferred_to_community", ("mod_person_id", "other_person_id", "community_id"), None),
    "ModAdd": ("added", ("mod_person_id", "other_person_id"), "removed"),
    "ModHideCommunity": ("hidden_communities", ("mod_person_id", "community_id", "reason"), "hidden"),
    "AdminPurgePerson": ("admin_purged_persons", ("reason",), None),
    "AdminPurgeCommunity": ("admin_purged_communities", ("reason",), None),
    "AdminPurgePost": ("admin_purged_posts", ("community_id", "reason"), None),
    "AdminPurgeComment": ("admin_purged_comments", ("post_id", "reason"), None),
    "AgoraWarn": (
        "agora_warnings",
        ("mod_person_id", "other_person_id", "community_id", "post_id", "comment_id", "reason"),
        None,
    ),
}
ARRAYS = tuple(dict.fromkeys(spec[0] for spec in KINDS.values()))
# each kind's entry key: "ModRemovePost" → "mod_remove_post"
ENTRY_KEYS = {kind: re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower() for kind in KINDS}
# the person a kind names besides the moderator, under Lemmy's key
OTHER = {
    "ModBanFromCommunity": "banned_person",
    "ModBan": "banned_person",
    "ModAddCommunity": "modded_person",
    "ModTransferCommunity": "modded_person",
    "ModAdd": "modded_person",
    "AgoraWarn": "warned_person",
    "ModRemoveComment": "commenter",
}


def _entry(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    _array, fields, flag = KINDS[kind]
    out: dict[str, Any] = {"id": entry["id"], "when_": entry["when_"]}
    for name in fields:
        if entry.get(name) is not None:
            out[name] = entry[name]
    if kind.startswith("AdminPurge"):
        out["admin_person_id"] = entry["mod_person_id"] or 0
    if flag:
        out[flag] = entry["flag"]
    if kind == "ModFeaturePost":
        out["is_featured_community"] = entry["featured_community"]
    return out


def modlog_json(items: Iterable[ModlogItem]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in ARRAYS}
    for item in items:
        kind = item.entry["kind"]
        if kind not in KINDS:
            continue
        view: dict[str, Any] = {ENTRY_KEYS[kind]: _entry(kind, item.entry)}
        if item.moderator is not None:
            view["admin" if kind.startswith("AdminPurge") else "moderator"] = person_json(item.moderator)
        if item.other_person is not None and kind in OTHER:
            view[OTHER[kind]] = person_json(item.other_person)
        if item.community is not None:
            view["community"] = community_json(item.community)
        if item.post is not None:
            view["post"] = post_json(item.post)
        if item.comment is not None:
            view["comment"] = comment_json(item.comment)
        out[KINDS[kind][0]].append(view)
    return out
