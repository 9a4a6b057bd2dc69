"""Polls: a post's choices, its end, and the people who chose.

A vote adds choices: a choice once made stays (Mastodon and PieFed keep no way to take a vote back or change
it), a single-choice poll takes one choice a person, a multiple-choice poll any number, given at once or one by
one (Mastodon sends each as a Note of its own). Nothing is taken after the end.

Every vote locks the poll's row first (SELECT … FOR NO KEY UPDATE on PostgreSQL; SQLite writers are serial), so
reading the voter's earlier choices, storing the new ones and adding to the counts (`col = col + 1`) are one step
per poll: concurrent voters never lose a count.

A poll made here counts its own votes, ours and those sent by other servers; a poll of another server has the
counts that server last sent (`update_remote`), plus our members' votes since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Community, Poll, PollChoice, PollVote, Post
from agora.domain import limits
from agora.domain.events import PollCounted, PollVoted, record
from agora.domain.permissions import Acting, get_person, require_can_write_in
from agora.errors import AgoraError, Code

COUNT_MAX = 2**31 - 1


@dataclass(slots=True)
class PollForm:
    """`counts` and `voters` only for a poll another server made (its counts as that server gives them)."""

    choices: list[str]
    multiple: bool = False
    end_time: datetime | None = None
    counts: list[int] = field(default_factory=list)
    voters: int | None = None


def checked(form: PollForm, *, local: bool, at: datetime) -> PollForm:
    """The form with its choices cleaned; a local poll's end within its bounds (three days when not given)."""
    choices = limits.check_poll_choices(form.choices)
    if local:
        return PollForm(choices, bool(form.multiple), limits.check_poll_end(form.end_time, at))
    counts = [_count(c) for c in form.counts[: len(choices)]]
    counts += [0] * (len(choices) - len(counts))
    voters = _count(form.voters) if form.voters is not None else _voters_from(counts, bool(form.multiple))
    return PollForm(choices, bool(form.multiple), form.end_time, counts, voters)


def _count(value: object) -> int:
    return min(max(value, 0), COUNT_MAX) if isinstance(value, int) and not isinstance(value, bool) else 0


def _voters_from(counts: list[int], multiple: bool) -> int:
    """Without votersCount: a single-choice poll has a voter a vote; a multiple one at least its top count."""
    return min(sum(counts), COUNT_MAX) if not multiple else max(counts, default=0)


async def attach(session: AsyncSession, post_id: int, form: PollForm) -> None:
    """Give a new post its poll (`form` as `checked` answers it)."""
    session.add(
        Poll(
            post_id=post_id,
            multiple=form.multiple,
            end_time=form.end_time,
            voters=form.voters or 0,
            counted=now() if form.counts else None,
        )
    )
    await session.flush()
    await _add_choices(session, post_id, form)


async def _add_choices(session: AsyncSession, post_id: int, form: PollForm) -> None:
    counts = form.counts or [0] * len(form.choices)
    rows = [
        {"post_id": post_id, "position": i, "name": name, "votes": counts[i]} for i, name in enumerate(form.choices)
    ]
    await session.execute(insert(PollChoice), rows)


def is_ended(end_time: datetime | None, at: datetime | None = None) -> bool:
    return end_time is not None and end_time <= (at or now())


async def _open_poll(session: AsyncSession, post_id: int) -> tuple[Poll, Post, Community]:
    """The poll, locked, with its post and community; refused when it is over or its post is gone."""
    row = (
        await session.execute(
            select(Poll, Post, Community)
            .join(Post, Post.id == Poll.post_id)
            .join(Community, Community.id == Post.community_id)
            .where(Poll.post_id == post_id)
            .with_for_update(of=Poll, key_share=True)
        )
    ).one_or_none()
    if row is None:
        raise AgoraError(Code.couldnt_find_poll)
    poll, post, community = row
    if post.deleted or post.removed:
        raise AgoraError(Code.deleted)
    if is_ended(poll.end_time):
        raise AgoraError(Code.poll_ended)
    return poll, post, community


async def _voter(session: AsyncSession, actor: Acting, community: Community) -> int:
    person = await get_person(session, actor.person_id)
    if person.bot_account:
        raise AgoraError(Code.invalid_bot_action)
    await require_can_write_in(session, actor, person, community)
    return person.id


async def _choice_ids(session: AsyncSession, post_id: int) -> dict[str, int]:
    rows = await session.execute(select(PollChoice.name, PollChoice.id).where(PollChoice.post_id == post_id))
    return {name: choice_id for name, choice_id in rows}


async def vote(session: AsyncSession, actor: Acting, post_id: int, choice_ids: list[int]) -> tuple[int, ...]:
    """A member chooses `choice_ids` (ids of the poll's choices); answers the choices new to them."""
    if len(choice_ids) > limits.POLL_CHOICES_MAX:
        raise AgoraError(Code.invalid_poll_choice)
    poll, post, community = await _open_poll(session, post_id)
    voter_id = await _voter(session, actor, community)
    wanted = set(choice_ids)
    if not wanted or not wanted <= set((await _choice_ids(session, post_id)).values()):
        raise AgoraError(Code.invalid_poll_choice, "no such choice in this poll")
    return await _cast(session, poll, post, voter_id, wanted)


async def vote_by_name(session: AsyncSession, actor: Acting, post_id: int, name: str) -> tuple[int, ...]:
    """A vote as other servers send it: one choice, by its name."""
    poll, post, community = await _open_poll(session, post_id)
    voter_id = await _voter(session, actor, community)
    choice_id = (await _choice_ids(session, post_id)).get(" ".join(name.split()))
    if choice_id is None:
        raise AgoraError(Code.invalid_poll_choice, "no such choice in this poll")
    return await _cast(session, poll, post, voter_id, {choice_id})


async def _cast(session: AsyncSession, poll: Poll, post: Post, voter_id: int, wanted: set[int]) -> tuple[int, ...]:
    if not poll.multiple and len(wanted) != 1:
        raise AgoraError(Code.invalid_poll_choice, "this poll takes one choice")
    mine = set(
        (
            await session.execute(
                select(PollVote.choice_id).where(PollVote.post_id == poll.post_id, PollVote.person_id == voter_id)
            )
        ).scalars()
    )
    new = tuple(sorted(wanted - mine))
    if not new or (mine and not poll.multiple):
        raise AgoraError(Code.already_voted)
    at = now()
    rows = [{"choice_id": c, "person_id": voter_id, "post_id": poll.post_id, "published": at} for c in new]
    await session.execute(insert(PollVote), rows)
    await session.execute(
        update(PollChoice).where(PollChoice.id.in_(new)).values(votes=PollChoice.votes + 1),
        execution_options={"synchronize_session": False},
    )
    if not mine:
        await session.execute(
            update(Poll).where(Poll.post_id == poll.post_id).values(voters=Poll.voters + 1),
            execution_options={"synchronize_session": False},
        )
    await record(session, PollVoted(actor_id=voter_id, post_id=poll.post_id, choice_ids=new))
    if post.local:
        await record(session, PollCounted(actor_id=None, post_id=poll.post_id))
    return new


async def update_remote(session: AsyncSession, post_id: int, form: PollForm) -> None:
    """Another server's word on its poll (`form` as `checked` answers it): its counts, its end, and its choices
    when they changed (then the old choices and their votes go, as Mastodon resets a poll whose options are
    edited)."""
    poll = (
        await session.execute(select(Poll).where(Poll.post_id == post_id).with_for_update(key_share=True))
    ).scalar_one_or_none()
    if poll is None:
        await attach(session, post_id, form)
        return
    names = (
        await session.execute(
            select(PollChoice.name, PollChoice.id).where(PollChoice.post_id == post_id).order_by(PollChoice.position)
        )
    ).all()
    if [name for name, _ in names] != form.choices or poll.multiple != form.multiple:
        await session.execute(delete(PollChoice).where(PollChoice.post_id == post_id))
        await _add_choices(session, post_id, form)
    else:
        for (_, choice_id), count in zip(names, form.counts, strict=True):
            await session.execute(update(PollChoice).where(PollChoice.id == choice_id).values(votes=count))
    poll.multiple, poll.end_time, poll.voters, poll.counted = form.multiple, form.end_time, form.voters or 0, now()
    await session.flush()


async def withdraw_votes(session: AsyncSession, person_id: int) -> None:
    """Take a person's choices out of every poll they voted in (a purge: their rows are about to go); each poll is
    locked first, as a vote locks it, and the counts fall by the rows the DELETE found."""
    voted = select(PollVote.post_id).where(PollVote.person_id == person_id).distinct()
    for post_id in sorted((await session.execute(voted)).scalars().all()):
        await session.execute(select(Poll.post_id).where(Poll.post_id == post_id).with_for_update(key_share=True))
        mine = delete(PollVote).where(PollVote.post_id == post_id, PollVote.person_id == person_id)
        choices = sorted((await session.execute(mine.returning(PollVote.choice_id))).scalars().all())
        if not choices:
            continue
        await session.execute(
            update(PollChoice).where(PollChoice.id.in_(choices)).values(votes=PollChoice.votes - 1),
            execution_options={"synchronize_session": False},
        )
        await session.execute(
            update(Poll).where(Poll.post_id == post_id).values(voters=Poll.voters - 1),
            execution_options={"synchronize_session": False},
        )
