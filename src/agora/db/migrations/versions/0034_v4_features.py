"""Lemmy 1.0 features: comment locks (a locked comment's subtree takes no replies), person notes

Revision ID: 0034_v4_features
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0034_v4_features"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comment") as batch:
        batch.add_column(sa.Column("locked", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "person_note",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("target_id", sa.Integer(), sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_person_note_target_id", "person_note", ["target_id"])


def downgrade() -> None:
    op.drop_table("person_note")
    with op.batch_alter_table("comment") as batch:
        batch.drop_column("locked")
