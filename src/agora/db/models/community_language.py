from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class CommunityLanguage(Base):
    """Languages a community allows; no rows means all that the site allows."""

    __tablename__ = "community_language"

    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), primary_key=True)
    language_id: Mapped[int] = mapped_column(ForeignKey("language.id", ondelete="CASCADE"), primary_key=True)
