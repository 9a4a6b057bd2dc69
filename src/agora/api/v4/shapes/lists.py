"""Requests and answers of 1.0's listings of people and slim comments: ListPersons, AdminListUsers,
GetCommentsSlim's CommentSlimView."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agora.api.v4.shapes.base import CursorPaging, Id, Paged, Shape
from agora.api.v4.shapes.objects import Comment, Person
from agora.api.v4.shapes.site import LocalUserView
from agora.api.v4.shapes.views import CommentActions, PersonView


class ListPersons(CursorPaging):
    type_: Literal["all", "local"] | None = None
    sort: Literal["new", "old", "post_score", "comment_score"] | None = None
    search_term: str | None = Field(None, max_length=1000)
    search_title_only: bool | None = None
    community_id: Id | None = None


class AdminListUsers(CursorPaging):
    banned_only: bool | None = None
    sort: Literal["new", "old"] | None = None


class PagedPersons(Paged[PersonView]):
    pass


class PagedLocalUsers(Paged[LocalUserView]):
    pass


class CommentSlimView(Shape):
    comment: Comment
    creator: Person
    comment_actions: CommentActions | None = None
    person_actions: dict[str, Any] | None = None
    creator_is_admin: bool
    can_mod: bool
    creator_banned: bool
    creator_is_moderator: bool
    creator_banned_from_community: bool


class PagedCommentsSlim(Paged[CommentSlimView]):
    pass


_NOT_SLIM = ("post", "community", "community_actions", "tags")


def slim_comment_view(comment_view: dict[str, Any]) -> dict[str, Any]:
    """A CommentView's JSON as a CommentSlimView: without the post and community (and what is said of them)."""
    return {name: value for name, value in comment_view.items() if name not in _NOT_SLIM}
