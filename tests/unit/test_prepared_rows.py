"""SQLite rows from a prepared statement come back as a Core query would return them (db.prepared.Compiled.rows)."""

from datetime import UTC, datetime

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import sqlite

from agora.db import prepared
from agora.db.base import UTCDateTime

TABLE = Table(
    "thing",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("hidden", Boolean),
    Column("published", UTCDateTime),
    Column("updated", UTCDateTime),
    Column("score", Integer),
)


def _compiled() -> prepared.Compiled:
    return prepared.Prepared(lambda _dialect: select(TABLE)).compiled(sqlite.dialect())


def test_booleans_timestamps_and_nulls_come_back_as_core_returns_them():
    raw = [
        (1, "first", 1, "2026-12-06 02:45:42.176854", None, 5),
        (2, None, 0, "2026-01-01 00:00:00", "2026-01-02 03:04:05.000006", -1),
        (3, "third", None, "2026-12-06 02:45:42.176854", None, 0),
    ]
    rows = _compiled().rows(raw)
    assert rows == [
        [1, "first", True, datetime(2026, 12, 6, 2, 45, 42, 176854, tzinfo=UTC), None, 5],
        [2, None, False, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), -1],
        [3, "third", None, datetime(2026, 12, 6, 2, 45, 42, 176854, tzinfo=UTC), None, 0],
    ]
    assert all(type(row[2]) is bool for row in rows[:2])
    assert rows[0][3].tzinfo is UTC


def test_parsed_timestamps_are_kept_within_their_bound(monkeypatch):
    monkeypatch.setattr(prepared, "_TIMESTAMPS", {})
    monkeypatch.setattr(prepared, "_TIMESTAMPS_KEPT", 4)
    compiled = _compiled()
    for second in range(10):
        [row] = compiled.rows([(1, "x", 0, f"2026-12-06 00:00:{second:02d}", None, 0)])
        assert row[3] == datetime(2026, 12, 6, 0, 0, second, tzinfo=UTC)
        assert len(prepared._TIMESTAMPS) <= 4
