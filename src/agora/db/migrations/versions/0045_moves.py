"""account and community moves: the aliases of a person or community (ActivityPub alsoKnownAs) and the actor it
moved to (movedTo)"""

import sqlalchemy as sa
from alembic import op

revision = "0045_moves"
down_revision = "0044_edit_history"


def upgrade() -> None:
    for table in ("person", "community"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("also_known_as", sa.Text(), nullable=True))
            batch.add_column(sa.Column("moved_to", sa.String(length=2000), nullable=True))
            batch.add_column(sa.Column("moved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in ("person", "community"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("moved_at")
            batch.drop_column("moved_to")
            batch.drop_column("also_known_as")
