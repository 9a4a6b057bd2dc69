"""Lemmy 1.0 features: comment locks (a locked comment's subtree takes no replies), person notes,
community reports (to the admins)"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import create_report_table, key_column

revision = "0036_v4_features"
down_revision = "0001_core"


def upgrade() -> None:
    # SQLite adds the column in place: a copy of the table would lose its search triggers (0004).
    with op.batch_alter_table("comment", recreate="never") as batch:
        batch.add_column(sa.Column("locked", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "person_note",
        key_column("person_note", "person_id", "person"),
        key_column("person_note", "target_id", "person"),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_person_note_target_id", "person_note", ["target_id"])
    create_report_table(
        "community_report",
        "community",
        sa.Column("original_community_name", sa.String(255), nullable=False),
        sa.Column("original_community_title", sa.String(255), nullable=False),
        sa.Column("original_community_description", sa.Text(), nullable=True),
        sa.Column("original_community_icon", sa.String(2000), nullable=True),
        sa.Column("original_community_banner", sa.String(2000), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("community_report")
    op.drop_table("person_note")
    with op.batch_alter_table("comment") as batch:
        batch.drop_column("locked")
