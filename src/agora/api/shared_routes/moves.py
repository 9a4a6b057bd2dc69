"""Agora's account and community moves, alike in both faces: /account/aliases, /account/move, /person/move and
/community/aliases, /community/move (domain.moves and domain.community_moves say the rules; README's "Moving an
account" the protocol). Targets and aliases are looked up before the write opens: no transaction waits on a peer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.shapes import accounts as shapes
from agora.deps import Here, Member, ReadDb, Reader, State, rate_limited
from agora.domain import community_moves, moves
from agora.errors import AgoraError, Code
from agora.federation import fetch
from agora.queries import moves as move_queries
from agora.queries import settings_backups as backup_queries
from agora.responses import json_response

router = APIRouter()
MESSAGE = rate_limited("message")


async def _item(state: State, kind: str, row_id: int) -> tuple[move_queries.MoveItem, dict]:
    """The move state of a "person" or "community", and the fields both answers share."""
    async with state.db.read() as session:
        item = await (move_queries.of_person if kind == "person" else move_queries.of_community)(session, row_id)
    if item is None:
        raise AgoraError(Code.couldnt_find_person if kind == "person" else Code.couldnt_find_community)
    return item, {"actor_id": item.actor_id, "also_known_as": item.also_known_as, "moved_to": item.moved_to}


async def _person(state: State, person_id: int) -> Response:
    item, shared = await _item(state, "person", person_id)
    answer = shapes.PersonMoveResponse(person_id=item.id, moved_to_person_id=item.moved_to_id, **shared)
    return json_response(answer.model_dump())


async def _community(state: State, community_id: int) -> Response:
    item, shared = await _item(state, "community", community_id)
    answer = shapes.CommunityMoveResponse(community_id=item.id, moved_to_community_id=item.moved_to_id, **shared)
    return json_response(answer.model_dump())


async def _urls(state: State, aliases: list[str], kind: str) -> list[str]:
    """Each alias looked up (a handle becomes its actor URL): it must exist."""
    return [(await fetch.actor_afresh(state, alias, kind, Code.invalid_alias))[1] for alias in aliases]


@router.get("/person/move", response_model=shapes.PersonMoveResponse, dependencies=[MESSAGE])
async def person_move(params: Annotated[shapes.GetPersonMove, Query()], viewer: Reader, state: State) -> Response:
    return await _person(state, params.person_id)


@router.get("/account/aliases", response_model=shapes.PersonMoveResponse, dependencies=[MESSAGE])
async def my_aliases(member: Member, state: State) -> Response:
    return await _person(state, member.person_id)


@router.post("/account/aliases", response_model=shapes.PersonMoveResponse, dependencies=[MESSAGE])
async def set_aliases(form: shapes.AccountAliases, member: Member, state: State) -> Response:
    urls = await _urls(state, form.aliases, "person")
    async with state.db.write() as session:
        await moves.set_aliases(session, member, urls)
    return await _person(state, member.person_id)


@router.post("/account/move", response_model=shapes.PersonMoveResponse, dependencies=[MESSAGE])
async def move_account(form: shapes.MoveAccount, member: Member, state: State, here: Here, db: ReadDb) -> Response:
    target_id, _ = await fetch.actor_afresh(state, form.target, "person", Code.move_target_unreachable)
    backup = await backup_queries.export(db, member.person_id, member.local_user_id, ())
    carried = {name: backup.get(name) or [] for name in moves.CARRIED}
    async with state.db.write() as session:
        await moves.move(session, here, member, password=form.password, target_id=target_id, carried=carried)
    return await _person(state, member.person_id)


@router.get("/community/move", response_model=shapes.CommunityMoveResponse, dependencies=[MESSAGE])
async def community_move(params: Annotated[shapes.GetCommunityMove, Query()], viewer: Reader, state: State) -> Response:
    return await _community(state, params.community_id)


@router.post("/community/aliases", response_model=shapes.CommunityMoveResponse, dependencies=[MESSAGE])
async def set_community_aliases(form: shapes.CommunityAliases, member: Member, state: State) -> Response:
    urls = await _urls(state, form.aliases, "community")
    async with state.db.write() as session:
        await community_moves.set_aliases(session, member, form.community_id, urls)
    return await _community(state, form.community_id)


@router.post("/community/move", response_model=shapes.CommunityMoveResponse, dependencies=[MESSAGE])
async def move_community(form: shapes.MoveCommunity, member: Member, state: State, db: ReadDb) -> Response:
    await community_moves.check_mover(db, member, form.community_id)
    target_id, _ = await fetch.actor_afresh(state, form.target, "community", Code.move_target_unreachable)
    async with state.db.write() as session:
        await community_moves.move(session, member, form.community_id, target_id)
    return await _community(state, form.community_id)
