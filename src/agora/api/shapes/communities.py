"""Community requests Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.base import Form, Id


class CommunityRules(Form):
    """What both faces' CreateCommunity and EditCommunity may set alike, each optional."""

    nsfw: bool | None = None
    posting_restricted_to_mods: bool | None = None
    discussion_languages: list[Id] | None = Field(None, max_length=1000)


class FollowCommunity(Form):
    community_id: Id
    follow: bool


class BlockCommunity(Form):
    community_id: Id
    block: bool


class DeleteCommunity(Form):
    community_id: Id
    deleted: bool


class AddModToCommunity(Form):
    community_id: Id
    person_id: Id
    added: bool


class TransferCommunity(Form):
    community_id: Id
    person_id: Id
