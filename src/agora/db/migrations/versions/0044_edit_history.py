"""Edit history: each version of a post, comment or private message that an edit replaced"""

import sqlalchemy as sa
from alembic import op

revision = "0044_edit_history"
down_revision = "0043_counter_shards"
# After every branch that rebuilds post, comment or private_message (SQLite's batch mode copies and drops a table,
# and a table referring to two of them must not exist while another is being rebuilt).
depends_on = (
    "0002_moderation",
    "0003_inbox",
    "0004_search",
    "0005_media",
    "0030_perf",
    "0031_url_blocklist",
    "0032_polls",
    "0033_viewer_versions",
    "0034_federation_rule_terms",
    "0035_request_ids",
    "0036_v4_features",
    "0037_vote_times",
    "0038_multi_communities",
    "0040_community_tags",
    "0041_member_preferences",
    "0042_oauth",
)

ITEMS = (("post_id", "post"), ("comment_id", "comment"), ("private_message_id", "private_message"))


def upgrade() -> None:
    op.create_table(
        "edit_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        *(
            sa.Column(column, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=True)
            for column, table in ITEMS
        ),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("nsfw", sa.Boolean(), nullable=True),
        sa.Column("editor_id", sa.Integer(), sa.ForeignKey("person.id", ondelete="SET NULL"), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
    )
    for column in (*(column for column, _ in ITEMS), "editor_id"):
        op.create_index(f"ix_edit_version_{column}", "edit_version", [column])


def downgrade() -> None:
    op.drop_table("edit_version")
