"""Housekeeping: expired captchas (and, as other rooms add them, expired bans and old federation rows)."""

from __future__ import annotations

from agora.deps import AppState
from agora.domain import captchas


async def run(state: AppState) -> None:
    async with state.db.write() as session:
        await captchas.purge_expired(session)
