"""Which members a transaction changed, moved in the database before it commits: `local_user.viewer_version` for
each member whose own rows it wrote, `local_site.viewer_epoch` when it may change what every member sees.

A member's reads depend on their account, languages, blocks, follows, moderated communities, keyword filters and
read/hidden/saved marks (queries.viewer), and on their followed communities' deleted, removed and NSFW flags.
deps.ViewerCache keeps that and checks both versions with the token on every read: any process on any host sees a
write as soon as it commits, because the versions move in the same transaction as the write.

The rule lives in the write session (engine.WriteSession), so no writer calls it: a row of a member's table
(`OWNERS`) written through the ORM names its owner; a Core statement on one names its owner with
`execution_options=of_person(id)` or `of_account(id)`, and without that moves the epoch (correct, only dearer).
A person's ban or deletion moves the person's member; a community's deleted, removed or NSFW flag, a person or
community deleted (a purge, whose cascades reach members' rows), or a statement passing `EVERYONE`, the epoch.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, or_, update
from sqlalchemy.engine import Connection

from agora.db.models import LocalSite, LocalUser

# The tables queries.viewer reads a member from, and the column naming whose row it is: a person or an account.
OWNERS = {
    **{
        name: "person"
        for name in (
            "person_block",
            "community_block",
            "instance_block",
            "instance_persons_block",
            "community_follower",
            "community_moderator",
            "post_hide",
            "post_read",
            "post_saved",
        )
    },
    "local_user": "account",
    "local_user_language": "account",
    "keyword_filter": "account",
}
PERSON_COLUMNS = frozenset({"banned", "ban_expires", "deleted"})
COMMUNITY_COLUMNS = frozenset({"deleted", "removed", "nsfw"})
EVERYONE = {"viewers": "everyone"}
_KEY = "viewer_changes"


def of_person(person_id: int) -> dict[str, Any]:
    """Execution options of a Core write to a member's table (OWNERS) that touches this person's rows only."""
    return {"viewers": ("person", person_id)}


def of_account(local_user_id: int) -> dict[str, Any]:
    """Execution options of a Core write to an account's table (OWNERS) that touches its rows only."""
    return {"viewers": ("account", local_user_id)}


def _owner_column(table: str) -> str:
    if table == "local_user":
        return "id"
    return "person_id" if OWNERS[table] == "person" else "local_user_id"


def _changed(info: dict[str, Any]) -> dict[str, set[int]]:
    changed: dict[str, set[int]] = info.setdefault(_KEY, {"person": set(), "account": set(), "everyone": set()})
    return changed


def note_statement(info: dict[str, Any], statement: Any, options: Any) -> None:
    """A Core INSERT, UPDATE or DELETE run through the session."""
    name = getattr(getattr(statement, "table", None), "name", None)
    viewers = options.get("viewers")
    if viewers == "everyone":
        _changed(info)["everyone"].add(True)
    elif name in OWNERS:
        if viewers is None:
            _changed(info)["everyone"].add(True)
        else:
            kind, owner = viewers
            _changed(info)[kind].add(owner)
    elif name in ("person", "community") and getattr(statement, "is_delete", False):
        _changed(info)["everyone"].add(True)  # a purge: the database's cascades delete members' rows that name it


def note_flush(info: dict[str, Any], new: Any, dirty: Any, deleted: Any) -> None:
    """What an ORM flush wrote, while the session still tells it."""
    for obj in (*new, *dirty, *deleted):
        name = obj.__table__.name
        if name in OWNERS:
            owner = inspect(obj).dict.get(_owner_column(name))  # what is loaded, never a load
            if owner is None:
                _changed(info)["everyone"].add(True)
            else:
                _changed(info)[OWNERS[name]].add(owner)
        elif name in ("person", "community"):
            if obj in deleted:
                _changed(info)["everyone"].add(True)
            elif obj in dirty:  # a new person or community is nobody's yet
                watched = PERSON_COLUMNS if name == "person" else COMMUNITY_COLUMNS
                attrs = inspect(obj).attrs
                if any(attrs[column].history.has_changes() for column in watched):
                    if name == "person":
                        _changed(info)["person"].add(obj.id)
                    else:
                        _changed(info)["everyone"].add(True)


def bump(info: dict[str, Any], connection: Connection) -> None:
    """Move the versions of what this transaction changed, on its connection, just before it commits."""
    changed = info.pop(_KEY, None)
    if not changed:
        return
    persons, accounts = sorted(changed["person"]), sorted(changed["account"])
    if persons or accounts:
        lu = LocalUser.__table__
        connection.execute(
            update(lu)
            .where(or_(lu.c.person_id.in_(persons), lu.c.id.in_(accounts)))
            .values(viewer_version=lu.c.viewer_version + 1)
        )
    if changed["everyone"]:
        site = LocalSite.__table__
        connection.execute(update(site).values(viewer_epoch=site.c.viewer_epoch + 1))


def forget(info: dict[str, Any]) -> None:
    info.pop(_KEY, None)
