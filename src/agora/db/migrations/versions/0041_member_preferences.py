"""member preferences of Lemmy 1.0: the block of an instance's persons (beside the instance block, which is the
block of its communities); notification modes of communities and posts, and the notifications of new posts and
comments they ask for; registration invitations"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import create_link_table, fk

revision = "0041_member_preferences"
down_revision = "0001_core"


def upgrade() -> None:
    create_link_table(
        "instance_persons_block",
        ("person_id", "person"),
        ("instance_id", "instance"),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    _notifications()
    op.create_table(
        "local_user_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("local_user_id", sa.Integer(), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses_count", sa.Integer(), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("local_user_invite", "local_user_id", "local_user", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_user_invite")),
        sa.UniqueConstraint("token", name=op.f("uq_local_user_invite_token")),
    )
    op.create_index(op.f("ix_local_user_invite_local_user_id"), "local_user_invite", ["local_user_id"], unique=False)


def _mode_table(name: str, target: str) -> None:
    op.create_table(
        name,
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(f"{target}_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            [f"{target}_id"], [f"{target}.id"], name=op.f(f"fk_{name}_{target}_id_{target}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f(f"fk_{name}_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", f"{target}_id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_{target}_id"), name, [f"{target}_id"], unique=False)


def _notifications() -> None:
    _mode_table("community_notifications", "community")
    _mode_table("post_notifications", "post")
    op.create_table(
        "subscribed_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("subscribed_notification", "comment_id", "comment", "CASCADE"),
        fk("subscribed_notification", "post_id", "post", "CASCADE"),
        fk("subscribed_notification", "recipient_id", "person", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscribed_notification")),
    )
    op.create_index(
        "ix_subscribed_notification_recipient_unread", "subscribed_notification", ["recipient_id", "read"], unique=False
    )
    op.create_index(op.f("ix_subscribed_notification_post_id"), "subscribed_notification", ["post_id"], unique=False)
    op.create_index(
        op.f("ix_subscribed_notification_comment_id"), "subscribed_notification", ["comment_id"], unique=False
    )


def downgrade() -> None:
    for name in ("local_user_invite", "subscribed_notification", "post_notifications", "community_notifications"):
        op.drop_table(name)
    op.drop_index(op.f("ix_instance_persons_block_instance_id"), table_name="instance_persons_block")
    op.drop_table("instance_persons_block")
