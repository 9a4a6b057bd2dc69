"""Image files under AGORA_MEDIA_DIR: written whole or not at all, found only by names Agora gave them."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

NAME = re.compile(r"^[A-Za-z0-9_-]{8,64}\.(png|jpg|webp|gif)$")
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "gif": "image/gif"}


class Storage:
    def __init__(self, root: str) -> None:
        self.root = Path(root).expanduser().resolve()

    def new_name(self, extension: str) -> str:
        return f"{secrets.token_urlsafe(16)}.{extension}"

    def path(self, name: str) -> Path | None:
        """The file for a name Agora gave out, or None for anything else (no path tricks reach the disk)."""
        if not NAME.match(name):
            return None
        return self.root / name

    def write(self, name: str, data: bytes) -> None:
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

    def delete(self, name: str) -> None:
        path = self.path(name)
        if path is not None:
            path.unlink(missing_ok=True)


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
