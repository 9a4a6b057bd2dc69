"""Where image files live: a folder (AGORA_MEDIA_DIR, the default) or an S3 bucket (AGORA_MEDIA_URL).

Every store keeps files only under names Agora gave them (NAME), writes each whole or not at all, and hands one
back as an HTTP response carrying the headers the media route chose. `for_settings` is the one place that picks
the store; the rest of Agora sees only MediaStore.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from starlette.responses import FileResponse, Response

if TYPE_CHECKING:
    from agora.config import Settings

# "jpeg": the extension pict-rs gives, so images brought across from a Lemmy instance keep their names.
NAME = re.compile(r"^[A-Za-z0-9_-]{8,64}\.(png|jpg|jpeg|webp|gif)$")
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}


class MediaStore(Protocol):
    """What uploads, thumbnails and link previews are kept in.

    `put` raises AgoraError service_unavailable (503) when the store cannot take the file. `forget` removes files
    without making its caller wait or fail (after a commit, or to undo a failed upload): a failure is logged and
    leaves an unreferenced file behind. `respond` answers a GET of a valid name with `headers` added: the file, a
    redirect to its public address when `may_redirect`, or an empty 404; `byte_range` is the request's Range.
    """

    def new_name(self, extension: str) -> str: ...

    async def put(self, name: str, data: bytes) -> None: ...

    def forget(self, names: tuple[str, ...]) -> None: ...

    async def respond(
        self, name: str, headers: Mapping[str, str], *, byte_range: str | None, may_redirect: bool
    ) -> Response: ...

    async def check(self) -> None:
        """Raise AgoraError service_unavailable when the store cannot be used."""
        ...

    async def aclose(self) -> None: ...


def valid(name: str) -> bool:
    """Whether `name` is one Agora could have given out (no path or key tricks reach a store)."""
    return NAME.match(name) is not None


def new_name(extension: str) -> str:
    return f"{secrets.token_urlsafe(16)}.{extension}"


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")


def for_settings(settings: Settings) -> MediaStore:
    """The bucket of AGORA_MEDIA_URL when set, else the folder AGORA_MEDIA_DIR."""
    if settings.media_url is None:
        return Storage(settings.media_dir)
    from agora.media.object_store import S3Store  # the S3 client is imported only by instances that use one

    return S3Store.for_settings(settings)


class Storage:
    """Files in one local folder, written through a temporary file and a rename."""

    def __init__(self, root: str) -> None:
        self.root = Path(root).expanduser().resolve()

    def new_name(self, extension: str) -> str:
        return new_name(extension)

    def path(self, name: str) -> Path | None:
        """The file for a name Agora gave out, or None for anything else."""
        return self.root / name if valid(name) else None

    async def put(self, name: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, name, data)

    def _write(self, name: str, data: bytes) -> None:
        """Write to a temporary file in the same directory, flush it to disk, then rename it into place."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.root / name)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def forget(self, names: tuple[str, ...]) -> None:
        """Unlinked at once: a local unlink neither waits nor fails for long."""
        for name in names:
            path = self.path(name)
            if path is not None:
                path.unlink(missing_ok=True)

    async def respond(
        self, name: str, headers: Mapping[str, str], *, byte_range: str | None, may_redirect: bool
    ) -> Response:
        """Starlette's FileResponse: it reads the Range header itself, and adds ETag and Last-Modified."""
        path = self.path(name)
        if path is None or not path.is_file():
            return Response(status_code=404)  # an empty body, as Lemmy's image route answers for a missing image
        return FileResponse(path, media_type=content_type(name), headers=dict(headers))

    async def check(self) -> None:
        return None

    async def aclose(self) -> None:
        return None
