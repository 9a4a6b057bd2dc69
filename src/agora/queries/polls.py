"""Polls as their posts show them: choices in order with their counts, the end, and the viewer's own choices.

One SELECT for any number of posts (a listing's page asks once), whose result is keyed by post id: a post without
a poll is simply absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Person, Poll, PollChoice, PollVote


@dataclass(slots=True)
class ChoiceItem:
    id: int
    name: str
    votes: int
    mine: bool


@dataclass(slots=True)
class PollItem:
    post_id: int
    multiple: bool
    end_time: datetime | None
    voters: int
    choices: list[ChoiceItem] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.end_time is not None and self.end_time <= datetime.now(UTC)

    @property
    def voted(self) -> bool:
        return any(c.mine for c in self.choices)

    @property
    def total(self) -> int:
        """Every choice's count together (what a bar's share is of)."""
        return sum(c.votes for c in self.choices)


@lru_cache(maxsize=1)
def _statement() -> Select[*tuple[Any, ...]]:
    """Parameters: post_ids (a list), person_id (0 for nobody)."""
    mine = (
        select(literal(True))
        .where(PollVote.choice_id == PollChoice.id, PollVote.person_id == bindparam("person_id", type_=Integer))
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            Poll.post_id,
            Poll.multiple,
            Poll.end_time,
            Poll.voters,
            PollChoice.id,
            PollChoice.name,
            PollChoice.votes,
            mine.label("mine"),
        )
        .join(PollChoice, PollChoice.post_id == Poll.post_id)
        .where(Poll.post_id.in_(bindparam("post_ids", expanding=True)))
        .order_by(Poll.post_id, PollChoice.position)
    )


async def polls_of(session: AsyncSession, post_ids: list[int], person_id: int | None) -> dict[int, PollItem]:
    """The polls of those of `post_ids` that have one, with `person_id`'s choices marked."""
    if not post_ids:
        return {}
    rows = await session.execute(_statement(), {"post_ids": sorted(set(post_ids)), "person_id": person_id or 0})
    out: dict[int, PollItem] = {}
    for post_id, multiple, end_time, voters, choice_id, name, votes, mine in rows:
        view = out.get(post_id)
        if view is None:
            view = out[post_id] = PollItem(post_id, multiple, end_time, voters)
        view.choices.append(ChoiceItem(choice_id, name, votes, bool(mine)))
    return out


async def poll_of(session: AsyncSession, post_id: int, person_id: int | None = None) -> PollItem | None:
    return (await polls_of(session, [post_id], person_id)).get(post_id)


async def remote_voter_inboxes(session: AsyncSession, post_id: int, limit: int = 1000) -> list[str]:
    """Where the poll's voters on other servers get its new counts: each one's shared inbox, else their own."""
    inbox = func.coalesce(Person.shared_inbox_url, Person.inbox_url)
    query = (
        select(inbox)
        .distinct()
        .select_from(PollVote)
        .join(Person, Person.id == PollVote.person_id)
        .where(PollVote.post_id == post_id, Person.local.is_(False), inbox.is_not(None))
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())
