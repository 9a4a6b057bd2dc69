"""Lemmy 1.0's community tags: a community's moderators name tags, a post carries some of its community's tags"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import key_column

revision = "0040_community_tags"
down_revision = "0001_core"


def upgrade() -> None:
    op.create_table(
        "community_tag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ap_id", sa.String(2000), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(255), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("color", sa.String(16), nullable=False, server_default="color01"),
        sa.Column("community_id", sa.Integer(), sa.ForeignKey("community.id", ondelete="CASCADE"), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_community_tag_community_id", "community_tag", ["community_id"])
    op.create_table(
        "post_community_tag",
        key_column("post_community_tag", "post_id", "post"),
        key_column("post_community_tag", "community_tag_id", "community_tag"),
    )
    op.create_index("ix_post_community_tag_community_tag_id", "post_community_tag", ["community_tag_id"])


def downgrade() -> None:
    op.drop_table("post_community_tag")
    op.drop_table("community_tag")
