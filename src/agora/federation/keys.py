"""Actors' RSA key pairs: made the first time another server needs one, then kept in the actor's row."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.federation.signatures import generate_key_pair


async def public_key(session: AsyncSession, model, row_id: int) -> str:
    """The actor's public key PEM, generating and storing the pair if it has none yet (a local actor's first
    federation). `model` is Person or Community; `session` must be able to write."""
    found = (await session.execute(select(model.public_key).where(model.id == row_id))).scalar_one()
    if found:
        return found
    private, public = await asyncio.to_thread(generate_key_pair)
    # Only the first writer wins: a concurrent request that generated another pair reads the stored one.
    await session.execute(
        update(model)
        .where(model.id == row_id, model.public_key.is_(None))
        .values(private_key=private, public_key=public)
    )
    return (await session.execute(select(model.public_key).where(model.id == row_id))).scalar_one()
