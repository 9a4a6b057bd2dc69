"""moderation: modlog, reports, warnings"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import create_report_table

revision = "0002_moderation"
down_revision = "0001_core"


def _fk(column: str, table: str, ondelete: str = "CASCADE", nullable: bool = True) -> sa.Column[int]:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "modlog_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        _fk("mod_person_id", "person"),
        _fk("other_person_id", "person"),
        _fk("community_id", "community"),
        _fk("post_id", "post"),
        _fk("comment_id", "comment"),
        sa.Column("reason", sa.Text()),
        sa.Column("flag", sa.Boolean(), nullable=False),
        sa.Column("featured_community", sa.Boolean(), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True)),
        sa.Column("when_", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("mod_person_id", "other_person_id", "community_id", "post_id", "comment_id", "when_"):
        op.create_index(f"ix_modlog_entry_{column}", "modlog_entry", [column])
    op.create_index("ix_modlog_entry_kind_when", "modlog_entry", ["kind", "when_"])

    create_report_table(
        "post_report",
        "post",
        sa.Column("original_post_name", sa.String(200), nullable=False),
        sa.Column("original_post_url", sa.String(2000)),
        sa.Column("original_post_body", sa.Text()),
    )
    create_report_table("comment_report", "comment", sa.Column("original_comment_text", sa.Text(), nullable=False))

    op.create_table(
        "person_warning",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("person_id", "person", nullable=False),
        _fk("mod_person_id", "person", nullable=False),
        _fk("community_id", "community", nullable=False),
        _fk("post_id", "post"),
        _fk("comment_id", "comment"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_person_warning_person_id", "person_warning", ["person_id"])
    op.create_index("ix_person_warning_community_id", "person_warning", ["community_id"])


def downgrade() -> None:
    for table in ("person_warning", "comment_report", "post_report", "modlog_entry"):
        op.drop_table(table)
