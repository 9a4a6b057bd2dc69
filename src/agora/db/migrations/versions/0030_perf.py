"""perf: indexes the benchmarks at instance scale asked for (issue 7)

- A post's comment tree in Hot order (depth, then distinguished, hot rank and id descending) is one index range:
  the first 300 of a 5,000-comment thread no longer sort the whole thread. It replaces the (post, depth, hot rank)
  index, whose ascending rank order no query used.
- The admins, as a partial index: every view's `creator_is_admin` flag looks them up, and without it PostgreSQL
  hashes the whole local_user table for each listing.
- Site-wide comment listings in Hot, Top and Controversial order (every comment, a community's, the subscribed
  ones): they sorted the whole comment table, 14 s for a Hot page of 10M comments."""

import sqlalchemy as sa
from alembic import op

revision = "0030_perf"
down_revision = "0001_core"

ADMIN = sa.text("admin = true")
VISIBLE = sa.text("deleted = false AND removed = false")
COMMENT_SORTS = {"hot": "hot_rank", "score": "score", "controversy": "controversy_rank"}


def upgrade() -> None:
    op.drop_index("ix_comment_post_tree", table_name="comment")
    op.create_index(
        "ix_comment_post_tree_hot",
        "comment",
        ["post_id", "depth", sa.text("distinguished DESC"), sa.text("hot_rank DESC"), sa.text("id DESC")],
    )
    op.create_index("ix_local_user_admin", "local_user", ["person_id"], postgresql_where=ADMIN, sqlite_where=ADMIN)
    for name, column in COMMENT_SORTS.items():
        op.create_index(
            f"ix_comment_{name}",
            "comment",
            [sa.text(f"{column} DESC"), sa.text("id DESC")],
            postgresql_where=VISIBLE,
            sqlite_where=VISIBLE,
        )


def downgrade() -> None:
    for name in COMMENT_SORTS:
        op.drop_index(f"ix_comment_{name}", table_name="comment")
    op.drop_index("ix_local_user_admin", table_name="local_user")
    op.drop_index("ix_comment_post_tree_hot", table_name="comment")
    op.create_index("ix_comment_post_tree", "comment", ["post_id", "depth", "hot_rank", "id"])
