from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class OAuthAccount(Base):
    """A member's account at a login provider: the provider's id for them (its `id_claim`) names one local user."""

    __tablename__ = "oauth_account"
    __table_args__ = (UniqueConstraint("oauth_provider_id", "oauth_user_id"),)

    local_user_id: Mapped[int] = mapped_column(ForeignKey("local_user.id", ondelete="CASCADE"), primary_key=True)
    oauth_provider_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_provider.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    oauth_user_id: Mapped[str] = mapped_column(String(1000))
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
