"""multi-communities (Lemmy 1.0's feeds): a person's named list of communities, its entries and followers, and
the site's suggested one"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import fk

revision = "0038_multi_communities"
down_revision = "0001_core"


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def upgrade() -> None:
    op.create_table(
        "multi_community",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("summary", sa.String(255), nullable=True),
        sa.Column("sidebar", sa.Text(), nullable=True),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.String(2000), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("private_key", sa.Text(), nullable=True),
        sa.Column("inbox_url", sa.String(2000), nullable=True),
        sa.Column("following_url", sa.String(2000), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_refreshed_at", sa.DateTime(timezone=True), nullable=False),
        _count("subscribers"),
        _count("subscribers_local"),
        _count("communities"),
        fk("multi_community", "creator_id", "person", "CASCADE"),
        fk("multi_community", "instance_id", "instance", "CASCADE"),
        sa.UniqueConstraint("actor_id", name=op.f("uq_multi_community_actor_id")),
    )
    op.create_index(op.f("ix_multi_community_creator_id"), "multi_community", ["creator_id"])
    op.create_index(
        "uq_multi_community_instance_name", "multi_community", ["instance_id", sa.text("lower(name)")], unique=True
    )
    op.create_table(
        "multi_community_entry",
        sa.Column("multi_community_id", sa.Integer(), primary_key=True),
        sa.Column("community_id", sa.Integer(), primary_key=True),
        fk("multi_community_entry", "multi_community_id", "multi_community", "CASCADE"),
        fk("multi_community_entry", "community_id", "community", "CASCADE"),
    )
    op.create_index(op.f("ix_multi_community_entry_community_id"), "multi_community_entry", ["community_id"])
    op.create_table(
        "multi_community_follow",
        sa.Column("multi_community_id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("multi_community_follow", "multi_community_id", "multi_community", "CASCADE"),
        fk("multi_community_follow", "person_id", "person", "CASCADE"),
    )
    op.create_index(op.f("ix_multi_community_follow_person_id"), "multi_community_follow", ["person_id"])
    with op.batch_alter_table("local_site") as batch:
        batch.add_column(sa.Column("suggested_multi_community_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_local_site_suggested_multi_community_id_multi_community"),
            "multi_community",
            ["suggested_multi_community_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("local_site") as batch:
        batch.drop_constraint(op.f("fk_local_site_suggested_multi_community_id_multi_community"), type_="foreignkey")
        batch.drop_column("suggested_multi_community_id")
    op.drop_table("multi_community_follow")
    op.drop_table("multi_community_entry")
    op.drop_table("multi_community")
