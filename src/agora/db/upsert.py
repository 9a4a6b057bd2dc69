"""INSERT … ON CONFLICT for whichever engine the session is on."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.base import Base

Insert = postgresql.Insert | sqlite.Insert


def dialect_name(session: AsyncSession) -> str:
    """ "postgresql" or "sqlite": the engine the session writes to."""
    return session.get_bind().dialect.name


def insert(session: AsyncSession, model: type[Base] | Table) -> Insert:
    return insert_for(dialect_name(session), model)


def insert_for(dialect_name: str, model: type[Base] | Table) -> Insert:
    """As `insert`, for a statement built before any session (db.prepared builders get the dialect's name)."""
    return postgresql.insert(model) if dialect_name == "postgresql" else sqlite.insert(model)
