"""federation: received and sent activities, per-instance delivery state, the site's allow and block lists"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import key_column

revision = "0010_federation"
down_revision = "0001_core"


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "received_activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ap_id", sa.String(2000), nullable=False),
        sa.Column("actor", sa.String(2000), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("data", sa.Text()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("available_at", nullable=False),
        sa.Column("holder", sa.String(128)),
        _ts("lease_until"),
        _ts("received", nullable=False),
        _ts("processed"),
        sa.UniqueConstraint("ap_id", name="uq_received_activity_ap_id"),
    )
    op.create_index("ix_received_activity_state_id", "received_activity", ["state", "id"])
    op.create_index("ix_received_activity_actor_id", "received_activity", ["actor", "id"])
    op.create_table(
        "sent_activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ap_id", sa.String(2000), nullable=False),
        sa.Column("actor", sa.String(2000), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("inboxes", sa.Text(), nullable=False),
        sa.Column("followers_of", sa.Integer(), sa.ForeignKey("community.id", ondelete="SET NULL")),
        sa.Column("all_instances", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer()),
        _ts("published", nullable=False),
        sa.UniqueConstraint("ap_id", name="uq_sent_activity_ap_id"),
        sa.UniqueConstraint("seq", name="uq_sent_activity_seq"),
        # ids are never reused, even after old rows are deleted
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sent_activity_published", "sent_activity", ["published"])
    unsequenced = sa.text("seq IS NULL")
    op.create_index(
        "ix_sent_activity_unsequenced", "sent_activity", ["id"], postgresql_where=unsequenced, sqlite_where=unsequenced
    )
    op.create_table(
        "federation_queue_state",
        key_column("federation_queue_state", "instance_id", "instance"),
        sa.Column("last_successful_seq", sa.Integer(), nullable=False),
        _ts("last_successful_published"),
        _ts("last_success"),
        sa.Column("fail_count", sa.Integer(), nullable=False),
        _ts("failing_since"),
        _ts("last_retry"),
        _ts("next_retry"),
        sa.Column("last_error", sa.Text()),
        sa.Column("holder", sa.String(128)),
        _ts("lease_until"),
    )
    op.create_table(
        "federation_rule",
        key_column("federation_rule", "instance_id", "instance"),
        sa.Column("kind", sa.String(16), nullable=False),
        _ts("published", nullable=False),
    )


def downgrade() -> None:
    op.drop_table("federation_rule")
    op.drop_table("federation_queue_state")
    op.drop_index("ix_sent_activity_unsequenced", "sent_activity")
    op.drop_index("ix_sent_activity_published", "sent_activity")
    op.drop_table("sent_activity")
    op.drop_index("ix_received_activity_actor_id", "received_activity")
    op.drop_index("ix_received_activity_state_id", "received_activity")
    op.drop_table("received_activity")
