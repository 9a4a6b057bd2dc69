"""Agora's account moves, alike in both faces: /account/aliases, /account/move and /person/move (domain.moves says
the rules; README's "Moving an account" the protocol)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.shapes.accounts import AccountAliases, GetPersonMove, MoveAccount, PersonMoveResponse
from agora.deps import Here, Member, ReadDb, Reader, State, rate_limited
from agora.domain import moves
from agora.errors import AgoraError, Code
from agora.federation import fetch
from agora.queries import moves as move_queries
from agora.queries import settings_backups as backup_queries
from agora.responses import json_response

router = APIRouter()
MESSAGE = rate_limited("message")


async def _answer(state: State, person_id: int) -> Response:
    async with state.db.read() as session:
        item = await move_queries.of_person(session, person_id)
    if item is None:
        raise AgoraError(Code.couldnt_find_person)
    return json_response(PersonMoveResponse.model_validate(item, from_attributes=True).model_dump())


@router.get("/person/move", response_model=PersonMoveResponse, dependencies=[MESSAGE])
async def person_move(params: Annotated[GetPersonMove, Query()], viewer: Reader, state: State) -> Response:
    return await _answer(state, params.person_id)


@router.get("/account/aliases", response_model=PersonMoveResponse, dependencies=[MESSAGE])
async def my_aliases(member: Member, state: State) -> Response:
    return await _answer(state, member.person_id)


@router.post("/account/aliases", response_model=PersonMoveResponse, dependencies=[MESSAGE])
async def set_aliases(form: AccountAliases, member: Member, state: State) -> Response:
    # Each alias is looked up first (a handle becomes its actor URL): no transaction is open while peers answer.
    urls = [(await fetch.person_afresh(state, alias, Code.invalid_alias))[1] for alias in form.aliases]
    async with state.db.write() as session:
        await moves.set_aliases(session, member, urls)
    return await _answer(state, member.person_id)


@router.post("/account/move", response_model=PersonMoveResponse, dependencies=[MESSAGE])
async def move_account(form: MoveAccount, member: Member, state: State, here: Here, db: ReadDb) -> Response:
    target_id, _ = await fetch.person_afresh(state, form.target, Code.move_target_unreachable)
    backup = await backup_queries.export(db, member.person_id, member.local_user_id, ())
    carried = {name: backup.get(name) or [] for name in moves.CARRIED}
    async with state.db.write() as session:
        await moves.move(session, here, member, password=form.password, target_id=target_id, carried=carried)
    return await _answer(state, member.person_id)
