"""Shorthands for the constraints, columns and kinds of table (links, reports) that migrations spell out again and
again, named as db.base.NAMING names them.

Names are given explicitly (through `op.f`), never left to the convention at run time, so a migration's DDL stays
what it was when it was written."""

from typing import Any

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


def create_report_table(table: str, subject: str, *originals: sa.Column[Any]) -> None:
    """A report table: who reported which `subject` row, the subject as it read then (`originals`), why, and whether
    and by whom the report was resolved; one report a member and subject."""
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk_column(table, "creator_id", "person", "CASCADE", nullable=False),
        _fk_column(table, f"{subject}_id", subject, "CASCADE", nullable=False),
        *originals,
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        _fk_column(table, "resolver_id", "person", "SET NULL", nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint(f"{subject}_id", "creator_id", name=op.f(f"uq_{table}_{subject}_id_creator_id")),
    )
    for column in ("creator_id", f"{subject}_id", "resolved"):
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def key_column(table: str, column: str, target: str) -> sa.Column[int]:
    """A part of `table`'s primary key that references `target.id`: the row goes when its target goes."""
    return _fk_column(table, column, target, "CASCADE", primary_key=True)


def _fk_column(table: str, column: str, target: str, ondelete: str, **options: Any) -> sa.Column[int]:
    """An integer column referencing `target.id`, its constraint declared with it."""
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{target}.id", ondelete=ondelete, name=name), **options)


def create_link_table(
    table: str, first: tuple[str, str], second: tuple[str, str], *extra: sa.Column[Any], indexed: bool = True
) -> None:
    """A table whose rows link two others (a member's block, vote or save; a language of a site): the key is the pair
    of `(column, target)` references, each row going with either target, and `indexed` adds an index on the second
    column for reads from its side."""
    keys = (first, second)
    op.create_table(
        table,
        *(sa.Column(column, sa.Integer(), nullable=False) for column, _ in keys),
        *extra,
        *(fk(table, column, target, "CASCADE") for column, target in sorted(keys)),
        sa.PrimaryKeyConstraint(first[0], second[0], name=op.f(f"pk_{table}")),
    )
    if indexed:
        op.create_index(op.f(f"ix_{table}_{second[0]}"), table, [second[0]], unique=False)
