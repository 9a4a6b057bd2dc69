"""viewer versions: a member's row and the site carry a version that every write to what a member's reads depend on
moves, so any process can tell whether the member it keeps is current (deps.ViewerCache)"""

import sqlalchemy as sa
from alembic import op

revision = "0033_viewer_versions"
down_revision = "0001_core"


def upgrade() -> None:
    with op.batch_alter_table("local_user") as batch:
        batch.add_column(sa.Column("viewer_version", sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("local_site") as batch:
        batch.add_column(sa.Column("viewer_epoch", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("local_site") as batch:
        batch.drop_column("viewer_epoch")
    with op.batch_alter_table("local_user") as batch:
        batch.drop_column("viewer_version")
