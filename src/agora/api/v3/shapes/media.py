"""Uploaded media listings (Lemmy 0.19's ListMedia, LocalImageView)."""

from __future__ import annotations

from typing import Any

from agora.api.v3.shapes.base import Paging, Shape, Timestamp
from agora.api.v3.shapes.objects import Person, person_json


class ListMedia(Paging):
    pass


class LocalImage(Shape):
    local_user_id: int | None = None
    pictrs_alias: str
    pictrs_delete_token: str
    published: Timestamp


class LocalImageView(Shape):
    local_image: LocalImage
    person: Person


class ListMediaResponse(Shape):
    images: list[LocalImageView]


def local_image_view_json(image: dict[str, Any], person: dict[str, Any]) -> dict[str, Any]:
    return {
        "local_image": {
            "local_user_id": image["local_user_id"],
            "pictrs_alias": image["name"],
            "pictrs_delete_token": image["delete_token"],
            "published": image["published"],
        },
        "person": person_json(person),
    }
