"""inbox queue: one actor's queued activities as a partial index

The inbox worker holds back an activity while an earlier one of the same actor is still queued. That check read
the actor's whole (actor, id) history, and a week of applied activities is kept to recognise redeliveries: a busy
remote community, the actor of every Announce it sends, made each check walk tens of thousands of applied rows.
Only queued rows are indexed now."""

import sqlalchemy as sa
from alembic import op

revision = "0011_inbox_queue"
down_revision = "0010_federation"

QUEUED = sa.text("state = 'queued'")


def upgrade() -> None:
    op.drop_index("ix_received_activity_actor_id", "received_activity")
    op.create_index(
        "ix_received_activity_queued_actor",
        "received_activity",
        ["actor", "id"],
        postgresql_where=QUEUED,
        sqlite_where=QUEUED,
    )


def downgrade() -> None:
    op.drop_index("ix_received_activity_queued_actor", "received_activity")
    op.create_index("ix_received_activity_actor_id", "received_activity", ["actor", "id"])
