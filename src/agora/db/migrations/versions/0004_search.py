"""search: full-text indexes for posts and comments, per engine; members' keyword filters

PostgreSQL: a stored generated tsvector column (title weighted above body) with a GIN index, so every insert, edit
and delete keeps it current without triggers. SQLite: FTS5 external-content tables kept in step by triggers.
The 'simple' configuration does not stem, so it treats every language alike."""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import SEARCHED, sqlite_search_triggers

revision = "0004_search"
down_revision = "0001_core"

POST_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'B')"
)
COMMENT_VECTOR = "to_tsvector('simple'::regconfig, coalesce(content, ''))"


def _sqlite_fts(table: str) -> None:
    cols = ", ".join(SEARCHED[table])
    op.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', content_rowid='id')")
    for statement in sqlite_search_triggers(table):
        op.execute(statement)
    op.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE post ADD COLUMN search tsvector GENERATED ALWAYS AS ({POST_VECTOR}) STORED")
        op.execute("CREATE INDEX ix_post_search ON post USING gin (search)")
        op.execute(f"ALTER TABLE comment ADD COLUMN search tsvector GENERATED ALWAYS AS ({COMMENT_VECTOR}) STORED")
        op.execute("CREATE INDEX ix_comment_search ON comment USING gin (search)")
    else:
        _sqlite_fts("post")
        _sqlite_fts("comment")
    op.create_table(
        "keyword_filter",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("local_user_id", sa.Integer(), sa.ForeignKey("local_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("keyword", sa.String(100), nullable=False),
        sa.Column("pattern", sa.String(300), nullable=False),
        sa.UniqueConstraint("local_user_id", "keyword", name="uq_keyword_filter_local_user_id_keyword"),
    )


def downgrade() -> None:
    op.drop_table("keyword_filter")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE comment DROP COLUMN search")
        op.execute("ALTER TABLE post DROP COLUMN search")
    else:
        for table in ("post", "comment"):
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
