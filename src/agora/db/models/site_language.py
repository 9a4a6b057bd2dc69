from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class SiteLanguage(Base):
    """Languages the site allows; no rows means all."""

    __tablename__ = "site_language"

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), primary_key=True)
    language_id: Mapped[int] = mapped_column(ForeignKey("language.id", ondelete="CASCADE"), primary_key=True)
