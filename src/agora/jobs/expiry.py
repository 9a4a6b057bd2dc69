"""Lapse bans whose expiry has passed, so profiles and ban lists stop showing them (checks already ignore them)."""

from __future__ import annotations

from agora.deps import AppState
from agora.domain import bans


async def run(state: AppState) -> None:
    async with state.db.write() as session:
        await bans.lapse_expired(session)
