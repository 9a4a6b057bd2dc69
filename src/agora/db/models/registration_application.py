from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class RegistrationApplication(Base):
    """A new account's answer to the site's question; pending until an admin decides (admin_id set)."""

    __tablename__ = "registration_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_user_id: Mapped[int] = mapped_column(ForeignKey("local_user.id", ondelete="CASCADE"), unique=True)
    answer: Mapped[str] = mapped_column(Text)
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    deny_reason: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime] = mapped_column(default=utcnow)
