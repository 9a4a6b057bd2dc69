"""Counter shards: the increments of the site's counts, spread over several rows so writers do not queue on one"""

import sqlalchemy as sa
from alembic import op

revision = "0043_counter_shards"
down_revision = "0001_core"


def upgrade() -> None:
    op.create_table(
        "counter_shard",
        sa.Column("scope", sa.String(32), primary_key=True),
        sa.Column("row_id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("shard", sa.SmallInteger(), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("counter_shard")
