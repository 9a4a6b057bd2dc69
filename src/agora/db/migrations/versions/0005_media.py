"""media: stored images and thumbnails"""

import sqlalchemy as sa
from alembic import op

revision = "0005_media"
down_revision = "0001_core"


def upgrade() -> None:
    op.create_table(
        "local_image",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("thumbnail_name", sa.String(80), nullable=False),
        sa.Column("local_user_id", sa.Integer(), sa.ForeignKey("local_user.id", ondelete="SET NULL")),
        sa.Column("delete_token", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_local_image_name"),
    )
    op.create_index("ix_local_image_local_user_id", "local_image", ["local_user_id"])


def downgrade() -> None:
    op.drop_table("local_image")
