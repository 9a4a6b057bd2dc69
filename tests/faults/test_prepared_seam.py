"""db.prepared runs statements on the driver connection, past SQLAlchemy's execute: the seam holds what SQLAlchemy
would have done (rows and their types, statement listeners told, driver errors wrapped as DBAPIError, a dropped
connection invalidated so the pool replaces it). pyproject pins SQLAlchemy below the next minor release for it."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, bindparam, event, insert, select, text
from sqlalchemy.exc import DBAPIError

from agora.config import Settings
from agora.db import prepared
from agora.db.base import UTCDateTime
from agora.db.engine import open_database
from tests.conftest import ENGINE

METADATA = MetaData()
THING = Table(
    "seam_thing",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(20)),
    Column("hidden", Boolean),
    Column("published", UTCDateTime),
)
BY_ID = prepared.Prepared(lambda _dialect: select(THING).where(THING.c.id >= bindparam("from_id")).order_by(THING.c.id))
MISSING = prepared.Prepared(lambda _dialect: select(text("1")).select_from(Table("seam_missing", MetaData())))
WHEN = datetime(2026, 12, 6, 2, 45, 42, 176854, tzinfo=UTC)


@pytest.fixture
def database(databases):
    db = open_database(Settings(database_url=databases.new()))

    async def setup():
        async with db.writer.begin() as conn:
            await conn.run_sync(METADATA.create_all)
            await conn.execute(
                insert(THING),
                [
                    {"id": 1, "name": "first", "hidden": True, "published": WHEN},
                    {"id": 2, "name": None, "hidden": False, "published": None},
                ],
            )
        await db.dispose()  # each test runs its own event loop: no connection may outlive this one

    asyncio.run(setup())
    return db


def _run(db, coroutine_function):
    async def go():
        try:
            return await coroutine_function()
        finally:
            await db.dispose()

    return asyncio.run(go())


def test_rows_come_back_as_a_core_query_returns_them_and_listeners_are_told(database):
    seen = []
    event.listen(database.reader.sync_engine, "before_cursor_execute", lambda *args: seen.append(args[2]))

    async def both():
        async with database.reader.connect() as conn:
            fast = await prepared.fetch(conn, BY_ID, {"from_id": 1})
            core = (await conn.execute(select(THING).where(THING.c.id >= 1).order_by(THING.c.id))).all()
            return fast, core

    fast, core = _run(database, both)
    assert [list(row) for row in fast] == [list(row) for row in core]
    assert fast[0][3] == WHEN and type(fast[0][2]) is bool and fast[1][1] is None
    assert any("seam_thing" in sql for sql in seen)


def test_a_named_parameter_must_be_given(database):
    async def missing():
        async with database.reader.connect() as conn:
            await prepared.fetch(conn, BY_ID, {})

    with pytest.raises(KeyError):
        _run(database, missing)


def test_a_driver_error_is_a_dbapi_error(database):
    async def broken():
        async with database.reader.connect() as conn:
            await prepared.fetch(conn, MISSING, {})

    with pytest.raises(DBAPIError) as raised:
        _run(database, broken)
    assert not raised.value.connection_invalidated


@pytest.mark.skipif(ENGINE != "postgres", reason="a server-side disconnect needs PostgreSQL")
def test_a_dropped_connection_is_invalidated_and_replaced(database):
    async def dropped():
        async with database.reader.connect() as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            async with database.writer.connect() as other:
                await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(DBAPIError) as raised:
                await prepared.fetch(conn, BY_ID, {"from_id": 1})
            assert raised.value.connection_invalidated
        async with database.reader.connect() as conn:  # the pool gives a working connection again
            return await prepared.fetch(conn, BY_ID, {"from_id": 2})

    assert [row[0] for row in _run(database, dropped)] == [2]
