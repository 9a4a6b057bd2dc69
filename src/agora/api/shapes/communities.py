"""Community requests Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

from agora.api.shapes.base import Form, Id


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
