"""Custom emoji requests Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

from agora.api.shapes.base import Form, Id


class DeleteCustomEmoji(Form):
    id: Id
