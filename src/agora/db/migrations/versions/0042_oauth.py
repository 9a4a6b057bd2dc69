"""OAuth / OIDC login (Lemmy 1.0): the providers admins configure, each member's account at a provider, and the
site's switch for signing up through one"""

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import key_column

revision = "0042_oauth"
down_revision = "0001_core"


def upgrade() -> None:
    with op.batch_alter_table("local_site") as batch:
        batch.add_column(sa.Column("oauth_registration", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "oauth_provider",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("issuer", sa.String(2000), nullable=False),
        sa.Column("authorization_endpoint", sa.String(2000), nullable=False),
        sa.Column("token_endpoint", sa.String(2000), nullable=False),
        sa.Column("userinfo_endpoint", sa.String(2000), nullable=False),
        sa.Column("id_claim", sa.String(255), nullable=False),
        sa.Column("client_id", sa.String(1000), nullable=False, unique=True),
        sa.Column("client_secret", sa.Text(), nullable=False),
        sa.Column("scopes", sa.String(1000), nullable=False),
        sa.Column("auto_verify_email", sa.Boolean(), nullable=False),
        sa.Column("account_linking_enabled", sa.Boolean(), nullable=False),
        sa.Column("use_pkce", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "oauth_account",
        key_column("oauth_account", "local_user_id", "local_user"),
        key_column("oauth_account", "oauth_provider_id", "oauth_provider"),
        sa.Column("oauth_user_id", sa.String(1000), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("oauth_provider_id", "oauth_user_id"),
    )
    op.create_index("ix_oauth_account_oauth_provider_id", "oauth_account", ["oauth_provider_id"])


def downgrade() -> None:
    op.drop_table("oauth_account")
    op.drop_table("oauth_provider")
    with op.batch_alter_table("local_site") as batch:
        batch.drop_column("oauth_registration")
