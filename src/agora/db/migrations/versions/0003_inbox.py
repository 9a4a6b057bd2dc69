"""inbox: replies, mentions, private messages and their reports"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import create_report_table

revision = "0003_inbox"
down_revision = "0001_core"


def _fk(column: str, table: str, ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column[int]:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable)


def _notification(table: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("recipient_id", "person"),
        _fk("comment_id", "comment"),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("recipient_id", "comment_id", name=f"uq_{table}_recipient_id_comment_id"),
    )
    op.create_index(f"ix_{table}_comment_id", table, ["comment_id"])
    op.create_index(f"ix_{table}_recipient_unread", table, ["recipient_id", "read"])


def upgrade() -> None:
    _notification("comment_reply")
    _notification("person_mention")
    op.create_table(
        "private_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("creator_id", "person"),
        _fk("recipient_id", "person"),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True)),
        sa.Column("ap_id", sa.String(2000), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("ap_id", name="uq_private_message_ap_id"),
    )
    op.create_index("ix_private_message_creator_id", "private_message", ["creator_id"])
    op.create_index("ix_private_message_recipient_unread", "private_message", ["recipient_id", "read"])
    create_report_table(
        "private_message_report", "private_message", sa.Column("original_pm_text", sa.Text(), nullable=False)
    )


def downgrade() -> None:
    for table in ("private_message_report", "private_message", "person_mention", "comment_reply"):
        op.drop_table(table)
