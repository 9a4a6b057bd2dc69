"""Shorthands for the constraints migrations spell out again and again, named as db.base.NAMING names them.

Names are given explicitly (through `op.f`), never left to the convention at run time, so a migration's DDL stays
what it was when it was written."""

import sqlalchemy as sa
from alembic import op


def fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """`table.column` references `target.id`."""
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)
