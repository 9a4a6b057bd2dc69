"""vote times: votes indexed by when they were cast, so "users here now" counts the people who voted in the last
minutes without scanning every vote (queries.activity), and the hourly active-user job reads a range too"""

from alembic import op

revision = "0037_vote_times"
down_revision = "0001_core"


def upgrade() -> None:
    op.create_index(op.f("ix_post_like_published"), "post_like", ["published"], unique=False)
    op.create_index(op.f("ix_comment_like_published"), "comment_like", ["published"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_comment_like_published"), table_name="comment_like")
    op.drop_index(op.f("ix_post_like_published"), table_name="post_like")
