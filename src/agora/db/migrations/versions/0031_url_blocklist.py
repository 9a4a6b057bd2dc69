"""url blocklist: the addresses an admin refuses links to (Lemmy's blocked_urls in site settings)"""

import sqlalchemy as sa
from alembic import op

revision = "0031_url_blocklist"
down_revision = "0001_core"


def upgrade() -> None:
    op.create_table(
        "local_site_url_blocklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_site_url_blocklist")),
        sa.UniqueConstraint("url", name=op.f("uq_local_site_url_blocklist_url")),
    )


def downgrade() -> None:
    op.drop_table("local_site_url_blocklist")
