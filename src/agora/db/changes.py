"""Counters that tell a process whether a member's account, follows, blocks or marks changed since it last read them.

A logged-in request needs the member's row, with their languages, blocks and follows (queries.viewer): a query
that cost as much as the front page itself. deps.ViewerCache keeps that row and asks these counters if it still
holds. Slot 0 moves when a change may concern every member (a community removed, deleted or marked NSFW, or a
write to a member's table that names nobody); the others move for the person or account hashed to them.

Writes are noticed by themselves (engine.py's listeners call `note_flush` and `note_statement`): a row of a
member's table added, changed or deleted through the ORM names its person or account; a Core statement on one of
those tables names them with `execution_options=of_person(id)` (or `of_account`) or else moves slot 0. A person's
ban and deletion and a community's deleted, removed and NSFW flags are noticed through the ORM; a Core write of
them must call `note` (domain.remote does for a remote community's NSFW flag; deleting an account also deletes its
local_user row, which moves slot 0). A person unbanned needs nothing: the cache never keeps a banned member.
The counters move after the commit, and the cache reads them before its query, so a read that overlaps a write
is never kept as current.

The processes of one `agora serve --workers N` share the counters through a file the parent maps into each of
them (`SHARED_FILE_ENV`), so a write in one worker makes the others read again at once; a lone process keeps them
in its own memory. A process outside that group (another host, another `agora serve`, an `agora admin` command)
is not seen: AGORA_VIEWER_CACHE_SECONDS bounds how long its writes can go unnoticed.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import tempfile
from typing import Any

from sqlalchemy import inspect

SHARED_FILE_ENV = "AGORA_SHARED_COUNTERS_FILE"  # set by `agora serve` for its worker processes, not by admins
SLOTS = 8192
_SIZE = SLOTS * 8
EVERYONE = 0


def person_key(person_id: int) -> int:
    return 1 + (2 * person_id) % (SLOTS - 1)


def account_key(local_user_id: int) -> int:
    return 1 + (2 * local_user_id + 1) % (SLOTS - 1)


# The tables queries.viewer reads a member from, with the column naming whose row it is and that owner's slot.
OWNERS = {
    **{
        name: ("person_id", person_key)
        for name in (
            "person_block",
            "community_block",
            "instance_block",
            "community_follower",
            "community_moderator",
            "post_hide",
            "post_read",
            "post_saved",
        )
    },
    "local_user": ("id", account_key),
    "login_token": ("user_id", account_key),
    "local_user_language": ("local_user_id", account_key),
    "keyword_filter": ("local_user_id", account_key),
}
PERSON_COLUMNS = frozenset({"banned", "ban_expires", "deleted"})
COMMUNITY_COLUMNS = frozenset({"deleted", "removed", "nsfw"})


class ChangeCounters:
    """SLOTS unsigned 64-bit counters, in a shared mapping or in this process's memory."""

    def __init__(self, buffer: Any, lock_fd: int | None = None) -> None:
        self._buffer = buffer  # kept: the view below must not outlive it
        self._slots = memoryview(buffer).cast("Q")
        self._lock_fd = lock_fd

    @classmethod
    def private(cls) -> ChangeCounters:
        return cls(bytearray(_SIZE))

    @classmethod
    def from_environment(cls) -> ChangeCounters:
        path = os.environ.get(SHARED_FILE_ENV)
        if not path:
            return cls.private()
        fd = os.open(path, os.O_RDWR)
        return cls(mmap.mmap(fd, _SIZE), lock_fd=fd)

    def read(self, person_id: int, local_user_id: int) -> tuple[int, int, int]:
        slots = self._slots
        return slots[EVERYONE], slots[person_key(person_id)], slots[account_key(local_user_id)]

    def bump(self, keys: set[int]) -> None:
        # Another process may bump the same slot at the same time: the file lock keeps both increments.
        if self._lock_fd is not None:
            fcntl.lockf(self._lock_fd, fcntl.LOCK_EX)
        try:
            for key in keys:
                self._slots[key] = (self._slots[key] + 1) & 0xFFFF_FFFF_FFFF_FFFF
        finally:
            if self._lock_fd is not None:
                fcntl.lockf(self._lock_fd, fcntl.LOCK_UN)


def create_shared_file() -> tuple[str, str | None]:
    """A zeroed counters file for the workers of one server: (the path they open, the path to remove once they
    have stopped). On Linux the file is removed at once and the workers open it through this process's open
    descriptor, so even a killed server leaves nothing behind."""
    directory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    fd, path = tempfile.mkstemp(prefix="agora-counters-", dir=directory)
    os.ftruncate(fd, _SIZE)
    through = f"/proc/{os.getpid()}/fd/{fd}"
    if os.path.exists(through):
        os.unlink(path)  # fd stays open as long as this process: the workers' way in
        return through, None
    os.close(fd)
    return path, path


# --- what a transaction changed: kept in its session's info until it commits ---------------------------------------
def note(info: dict, key: int) -> None:
    info.setdefault("viewer_keys", set()).add(key)


def note_statement(info: dict, statement: Any, options: Any) -> None:
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    if name in OWNERS:
        note(info, options.get("viewer", EVERYONE))
    elif (name == "person" or name == "community") and getattr(statement, "is_delete", False):
        note(info, EVERYONE)  # a purge: the database's cascades delete the member's rows that name it


def note_flush(info: dict, session: Any) -> None:
    """Called after a flush, while the session still tells what it flushed."""
    new, dirty, deleted = session.new, session.dirty, session.deleted
    for obj in (*new, *dirty, *deleted):
        name = obj.__table__.name
        if name in OWNERS:
            column, key = OWNERS[name]
            owner = inspect(obj).dict.get(column)  # what is loaded, never a load: a deleted row is gone by now
            note(info, EVERYONE if owner is None else key(owner))
        elif name == "person" or name == "community":
            if obj in deleted:
                note(info, EVERYONE)  # as a purge by statement (note_statement)
            elif obj in dirty:  # a new person or community is nobody's yet
                watched = PERSON_COLUMNS if name == "person" else COMMUNITY_COLUMNS
                attrs = inspect(obj).attrs
                if any(attrs[column].history.has_changes() for column in watched):
                    note(info, person_key(obj.id) if name == "person" else EVERYONE)


def take(info: dict) -> set[int] | None:
    return info.pop("viewer_keys", None)


def of_person(person_id: int) -> dict:
    """Execution options of a Core write to a member's table (OWNERS) that touches this person's rows only."""
    return {"viewer": person_key(person_id)}


def of_account(local_user_id: int) -> dict:
    """Execution options of a Core write to an account's table (OWNERS) that touches its rows only."""
    return {"viewer": account_key(local_user_id)}
