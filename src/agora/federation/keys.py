"""Actors' RSA key pairs: ours made the first time another server needs one, then kept in the actor's row;
remote ones read through a short-lived cache."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.engine import Database
from agora.db.models import Community, Person, Site
from agora.deps import AppState
from agora.federation.signatures import generate_key_pair
from agora.queries import actor_keys
from agora.queries.actor_keys import ActorKey


async def public_key(session: AsyncSession, model: type[Person | Community | Site], row_id: int) -> str:
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
    public_key = (await session.execute(select(model.public_key).where(model.id == row_id))).scalar_one()
    assert public_key is not None  # set just above, or by a concurrent writer before us
    return public_key


async def private_key(session: AsyncSession, model: type[Person | Community | Site], row_id: int) -> str:
    """Our actor's private key PEM, the pair made first if it has none; LookupError for another server's actor
    (we hold only its public key)."""
    await public_key(session, model, row_id)
    found = (await session.execute(select(model.private_key).where(model.id == row_id))).scalar_one()
    if found is None:
        raise LookupError(f"{model.__tablename__} {row_id} is not one of our actors")
    return found


class KnownKeys:
    """Remote actors' keys as this process last read them, kept for `ttl` seconds: each received activity needs
    its signer's key at the inbox and its actor's row again when it is applied, two reads of the same row
    moments apart. Only remote actors with a key are kept. A key stored anew in this process (a fetch, an
    Update) is forgotten at once; another process's change is seen within `ttl`, or sooner when a signature
    fails with the old key, since the inbox then refetches the actor."""

    def __init__(self, ttl: float = 30.0, size: int = 20_000) -> None:
        self.ttl, self.size = ttl, size
        self._keys: dict[str, tuple[float, ActorKey]] = {}

    async def get(self, db: Database, actor_url: str) -> ActorKey | None:
        actor_url = actor_url.split("#", 1)[0]
        found = self._keys.get(actor_url)
        if found is not None and time.monotonic() - found[0] < self.ttl:
            return found[1]
        async with db.read() as session:
            key = await actor_keys.find(session, actor_url)
        if key is not None and key.public_key and not key.local:
            if len(self._keys) >= self.size:
                self._keys.clear()  # a crude bound: refilling costs one read per actor
            self._keys[actor_url] = (time.monotonic(), key)
        else:
            self._keys.pop(actor_url, None)
        return key

    def forget(self, actor_url: str) -> None:
        self._keys.pop(actor_url.split("#", 1)[0], None)


def known(state: AppState) -> KnownKeys:
    """This process's cache of remote keys."""
    return state.extras.setdefault("known_keys", KnownKeys())
