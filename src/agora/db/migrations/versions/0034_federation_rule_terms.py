"""federation rule terms: a reason for each allowed or blocked instance, and an end for a block (Lemmy 1.0)"""

import sqlalchemy as sa
from alembic import op

revision = "0034_federation_rule_terms"
down_revision = "0010_federation"


def upgrade() -> None:
    with op.batch_alter_table("federation_rule") as batch:
        batch.add_column(sa.Column("reason", sa.Text()))
        batch.add_column(sa.Column("expires", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("updated", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("federation_rule") as batch:
        batch.drop_column("updated")
        batch.drop_column("expires")
        batch.drop_column("reason")
