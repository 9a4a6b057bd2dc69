"""request ids: the HTTP request that queued an activity to send, or that delivered one received, so the log
lines of the work that follows carry it"""

import sqlalchemy as sa
from alembic import op

revision = "0035_request_ids"
down_revision = "0012_follower_remote"


def upgrade() -> None:
    with op.batch_alter_table("sent_activity") as batch:
        batch.add_column(sa.Column("request_id", sa.String(64), nullable=True))
    with op.batch_alter_table("received_activity") as batch:
        batch.add_column(sa.Column("request_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("received_activity") as batch:
        batch.drop_column("request_id")
    with op.batch_alter_table("sent_activity") as batch:
        batch.drop_column("request_id")
