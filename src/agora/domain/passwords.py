"""argon2id password hashing, off the event loop (one hash keeps a core busy for ~0.1 s).

Hashes imported from Lemmy are bcrypt ("$2b$…"): they verify as they are and are replaced by an argon2id hash at
the next successful login (`needs_rehash`).
"""

from __future__ import annotations

import asyncio

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
_dummy_hash: str | None = None
# Bounds concurrent hashes so a burst of logins cannot take every core and all memory.
_slots = asyncio.Semaphore(4)


def configure(*, time_cost: int, memory_kib: int, parallelism: int) -> None:
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    _dummy_hash = None


async def hash_password(password: str) -> str:
    async with _slots:
        return await asyncio.to_thread(_hasher.hash, password)


BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")


async def verify_password(stored_hash: str, password: str) -> bool:
    async with _slots:
        if stored_hash.startswith(BCRYPT_PREFIXES):
            return await asyncio.to_thread(_verify_bcrypt, stored_hash, password)
        try:
            return await asyncio.to_thread(_hasher.verify, stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def _verify_bcrypt(stored_hash: str, password: str) -> bool:
    # bcrypt reads at most 72 bytes of a password; Lemmy's hasher cut longer ones there too.
    try:
        return bcrypt.checkpw(password.encode()[:72], stored_hash.encode())
    except ValueError:  # a malformed hash
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash that just verified should be replaced by one of Agora's (an imported bcrypt hash)."""
    return stored_hash.startswith(BCRYPT_PREFIXES)


async def spend_verify_time(password: str) -> None:
    """Verify against a throw-away hash, so a login for an unknown name takes as long as a real one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = await hash_password("not-a-real-password")
    await verify_password(_dummy_hash, password)
