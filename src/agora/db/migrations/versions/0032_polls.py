"""polls: a post may carry a poll (an ActivityPub Question), its choices and its voters' choices"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import fk

revision = "0032_polls"
down_revision = "0001_core"


def upgrade() -> None:
    op.create_table(
        "poll",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("multiple", sa.Boolean(), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voters", sa.Integer(), nullable=False),
        sa.Column("counted", sa.DateTime(timezone=True), nullable=True),
        fk("poll", "post_id", "post", "CASCADE"),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_poll")),
    )
    op.create_table(
        "poll_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["poll.post_id"], name=op.f("fk_poll_choice_post_id_poll"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_choice")),
        sa.UniqueConstraint("post_id", "position", name=op.f("uq_poll_choice_post_id_position")),
        sa.UniqueConstraint("post_id", "name", name=op.f("uq_poll_choice_post_id_name")),
    )
    op.create_table(
        "poll_vote",
        sa.Column("choice_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("poll_vote", "choice_id", "poll_choice", "CASCADE"),
        fk("poll_vote", "person_id", "person", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["post_id"], ["poll.post_id"], name=op.f("fk_poll_vote_post_id_poll"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("choice_id", "person_id", name=op.f("pk_poll_vote")),
    )
    op.create_index(op.f("ix_poll_vote_person_id"), "poll_vote", ["person_id"], unique=False)
    op.create_index("ix_poll_vote_post_person", "poll_vote", ["post_id", "person_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_poll_vote_post_person", table_name="poll_vote")
    op.drop_index(op.f("ix_poll_vote_person_id"), table_name="poll_vote")
    op.drop_table("poll_vote")
    op.drop_table("poll_choice")
    op.drop_table("poll")
