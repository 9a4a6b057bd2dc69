"""Persons and a person's combined content: GetPersonDetails, ListPersonContent, ListPersonSaved/Liked."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agora.api.v4.shapes.base import CursorPaging, Form, Id, Paged, Shape
from agora.api.v4.shapes.views import CommunityModeratorView, PersonView

PersonContentType = Literal["all", "comments", "posts"]


class GetPersonDetails(Form):
    person_id: Id | None = None
    username: str | None = Field(None, max_length=255)


class NotePerson(Form):
    person_id: Id
    note: str = Field(max_length=20_000)


class GetPersonDetailsResponse(Shape):
    person_view: PersonView
    moderates: list[CommunityModeratorView]


class ListPersonContent(CursorPaging):
    type_: PersonContentType | None = None
    person_id: Id | None = None
    username: str | None = Field(None, max_length=255)
    community_id: Id | None = None


class ListPersonSaved(CursorPaging):
    type_: PersonContentType | None = None


class ListPersonLiked(CursorPaging):
    type_: PersonContentType | None = None
    like_type: Literal["all", "liked_only", "disliked_only"] | None = None


class PagedPostsAndComments(Paged[dict[str, Any]]):
    pass
