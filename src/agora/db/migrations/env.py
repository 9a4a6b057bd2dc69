"""Alembic environment: runs on the connection `agora.db.migrate` hands over (sync view of an async engine)."""

from alembic import context

import agora.db.models  # noqa: F401  registers every table
from agora.db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `agora migrate`, which provides the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
