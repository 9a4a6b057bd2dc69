"""This instance's identity: what every write and read needs and what never changes while it runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LocalKind = Literal["person", "community", "multi_community", "post", "comment", "private_message"]
PATHS: dict[LocalKind, str] = {
    "person": "u",
    "community": "c",
    "multi_community": "m",
    "post": "post",
    "comment": "comment",
    "private_message": "private_message",
}


@dataclass(frozen=True, slots=True)
class LocalInstance:
    """Facts about this instance that every write needs and that never change while it runs."""

    base_url: str
    domain: str
    instance_id: int
    site_id: int
    local_site_id: int
    jwt_secret: str

    def url(self, kind: LocalKind, key: str | int) -> str:
        """The address (and ActivityPub id) of a local object: a person or community by name, the rest by id."""
        return f"{self.base_url}/{PATHS[kind]}/{key}"
