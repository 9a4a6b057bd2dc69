from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class LocalUserLanguage(Base):
    """Languages a member reads; no rows means all."""

    __tablename__ = "local_user_language"

    local_user_id: Mapped[int] = mapped_column(ForeignKey("local_user.id", ondelete="CASCADE"), primary_key=True)
    language_id: Mapped[int] = mapped_column(ForeignKey("language.id", ondelete="CASCADE"), primary_key=True)
