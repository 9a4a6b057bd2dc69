"""/agora/poll/vote: a member's choices in a post's poll (Agora's extension; the poll itself rides on the post)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v3.posts import MESSAGE, post_response
from agora.api.v3.shapes.polls import VotePoll
from agora.api.v3.shapes.posts import PostResponse
from agora.deps import Member, WriteDb, after_commit
from agora.domain import polls

router = APIRouter(tags=["post"])

DESCRIPTION = """Choose in a post's poll. A choice once made stays: a single-choice poll takes one choice a person
(a second vote answers `already_voted`), a multiple-choice poll adds the choices not made yet. A poll that has ended
answers `poll_ended`. Answers the post with its poll (`post_view.poll`, with `my_choices`)."""


@router.post("/agora/poll/vote", response_model=PostResponse, dependencies=[MESSAGE], description=DESCRIPTION)
async def vote(form: VotePoll, member: Member, db: WriteDb) -> Response:
    await polls.vote(db, member, form.post_id, list(form.choice_ids))
    async with after_commit(db) as reader:
        return await post_response(reader, member, form.post_id, poll=True)
