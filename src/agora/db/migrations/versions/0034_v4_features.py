"""Lemmy 1.0 features: comment locks (a locked comment's subtree takes no replies)

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


def downgrade() -> None:
    with op.batch_alter_table("comment") as batch:
        batch.drop_column("locked")
