"""member preferences of Lemmy 1.0: the block of an instance's persons (beside the instance block, which is the
block of its communities)

Revision ID: 0041_member_preferences
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0041_member_preferences"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instance_persons_block",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["instance.id"],
            name=op.f("fk_instance_persons_block_instance_id_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_instance_persons_block_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "instance_id", name=op.f("pk_instance_persons_block")),
    )
    op.create_index(
        op.f("ix_instance_persons_block_instance_id"), "instance_persons_block", ["instance_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_instance_persons_block_instance_id"), table_name="instance_persons_block")
    op.drop_table("instance_persons_block")
