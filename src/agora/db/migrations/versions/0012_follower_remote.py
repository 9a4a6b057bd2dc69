"""follower remote: a community's followers on other servers, without reading every follower

Each activity in a local community is queued for the instances of its remote followers. That lookup joined every
follower of the community to their person row to keep the remote ones: 20k local followers of a big community
cost ~5 ms of database time for each comment and vote made in it. Followers now carry `remote`, indexed where set."""

import sqlalchemy as sa
from alembic import op

revision = "0012_follower_remote"
down_revision = "0011_inbox_queue"

REMOTE = sa.text("remote")


def upgrade() -> None:
    with op.batch_alter_table("community_follower") as batch:
        batch.add_column(sa.Column("remote", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE community_follower SET remote = true WHERE person_id IN (SELECT id FROM person WHERE local = false)"
    )
    op.create_index(
        "ix_community_follower_remote",
        "community_follower",
        ["community_id"],
        postgresql_where=REMOTE,
        sqlite_where=REMOTE,
    )


def downgrade() -> None:
    op.drop_index("ix_community_follower_remote", "community_follower")
    with op.batch_alter_table("community_follower") as batch:
        batch.drop_column("remote")
