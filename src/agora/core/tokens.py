"""Login tokens as Lemmy 0.19 makes them (HS256 JWTs), read without the database: what a token claims."""

from __future__ import annotations

import hashlib

import jwt

from agora.core.instance import LocalInstance


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def decode_token(token: str, here: LocalInstance) -> int | None:
    """The local_user id a token claims, if its signature and issuer are ours; None otherwise."""
    try:
        claims = jwt.decode(
            token,
            here.jwt_secret,
            algorithms=["HS256"],
            issuer=here.domain,
            options={"require": ["sub", "iss", "iat"]},
        )
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None
