from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PrivateMessageReport(Base):
    """A recipient's report of a private message to the admins, with the text as it read when reported."""

    __tablename__ = "private_message_report"
    __table_args__ = (UniqueConstraint("private_message_id", "creator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    private_message_id: Mapped[int] = mapped_column(ForeignKey("private_message.id", ondelete="CASCADE"), index=True)
    original_pm_text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(default=False, index=True)
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
