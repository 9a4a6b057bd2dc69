"""INSERT … ON CONFLICT for whichever engine the session is on."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def insert(session: AsyncSession, model):
    return insert_for(session.bind.dialect.name, model)


def insert_for(dialect_name: str, model):
    """As `insert`, for a statement built before any session (db.prepared builders get the dialect's name)."""
    return (pg_insert if dialect_name == "postgresql" else sqlite_insert)(model)
