"""Polls, an Agora extension on Lemmy's shapes: `poll` on CreatePost and on a PostView, and the vote request.

Lemmy clients ignore both fields; a post with a poll is otherwise an ordinary text post to them."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agora.api.v3.shapes.base import Form, Id, Shape, Timestamp
from agora.queries.polls import PollItem


class CreatePoll(Form):
    choices: list[str] = Field(max_length=100, description="2 to 20 choices, each of 1 to 200 characters")
    multiple: bool = Field(False, description="several choices a voter (ActivityPub `anyOf`) or one (`oneOf`)")
    end_time: Timestamp | None = Field(
        None, description="when voting closes: 5 minutes to 31 days from now, with a time zone; 3 days if absent"
    )


class PollChoice(Shape):
    id: int
    name: str
    votes: int


class PollView(Shape):
    multiple: bool
    end_time: Timestamp | None = None
    ended: bool
    voters: int = Field(description="people who chose anything (a multiple-choice poll counts each person once)")
    choices: list[PollChoice]
    my_choices: list[int] | None = Field(None, description="the ids the logged-in caller chose (absent when anonymous)")


class VotePoll(Form):
    post_id: Id
    choice_ids: list[Id] = Field(
        max_length=100, description="one in a single-choice poll; any new ones in a multiple-choice poll"
    )


def poll_json(poll: PollItem, signed_in: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "multiple": poll.multiple,
        "ended": poll.ended,
        "voters": poll.voters,
        "choices": [{"id": c.id, "name": c.name, "votes": c.votes} for c in poll.choices],
    }
    if poll.end_time is not None:
        out["end_time"] = poll.end_time
    if signed_in:
        out["my_choices"] = [c.id for c in poll.choices if c.mine]
    return out
