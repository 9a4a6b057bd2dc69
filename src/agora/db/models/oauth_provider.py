from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class OAuthProvider(Base):
    """An OAuth 2.0 / OIDC login provider an admin configured (Lemmy 1.0); `client_secret` never leaves the server."""

    __tablename__ = "oauth_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(255))
    issuer: Mapped[str] = mapped_column(String(2000))
    authorization_endpoint: Mapped[str] = mapped_column(String(2000))
    token_endpoint: Mapped[str] = mapped_column(String(2000))
    userinfo_endpoint: Mapped[str] = mapped_column(String(2000))
    id_claim: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(1000), unique=True)
    client_secret: Mapped[str] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(String(1000))
    auto_verify_email: Mapped[bool] = mapped_column(default=True)
    account_linking_enabled: Mapped[bool] = mapped_column(default=False)
    use_pkce: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
