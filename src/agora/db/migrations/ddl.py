"""Shorthands for the constraints migrations spell out again and again, named as db.base.NAMING names them.

Names are given explicitly (through `op.f`), never left to the convention at run time, so a migration's DDL stays
what it was when it was written."""

import sqlalchemy as sa
from alembic import op


def fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """`table.column` references `target.id`."""
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)


SEARCHED = {"post": ("name", "body"), "comment": ("content",)}  # SQLite's FTS5 tables: the columns each indexes


def sqlite_search_triggers(table: str) -> list[str]:
    """The three triggers that keep SQLite's `{table}_fts` (external content) in step with `table`.

    A batch migration that copies `post` or `comment` on SQLite drops them with the old table: alter those two in
    place (`recreate="never"`), or create the triggers again (the statements are `IF NOT EXISTS`) and rebuild."""
    columns = SEARCHED[table]
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    forget = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    learn = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {learn} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {forget} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN {forget} {learn} END",
    ]
