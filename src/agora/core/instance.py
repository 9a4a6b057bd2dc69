"""This instance's identity: what every write and read needs and what never changes while it runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocalInstance:
    """Facts about this instance that every write needs and that never change while it runs."""

    base_url: str
    domain: str
    instance_id: int
    site_id: int
    local_site_id: int
    jwt_secret: str

    def person_url(self, name: str) -> str:
        return f"{self.base_url}/u/{name}"

    def community_url(self, name: str) -> str:
        return f"{self.base_url}/c/{name}"

    def multi_community_url(self, name: str) -> str:
        return f"{self.base_url}/m/{name}"

    def post_url(self, post_id: int) -> str:
        return f"{self.base_url}/post/{post_id}"

    def comment_url(self, comment_id: int) -> str:
        return f"{self.base_url}/comment/{comment_id}"

    def private_message_url(self, message_id: int) -> str:
        return f"{self.base_url}/private_message/{message_id}"
