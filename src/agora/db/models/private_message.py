from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PrivateMessage(Base):
    """A message from one person to another (ActivityPub ChatMessage)."""

    __tablename__ = "private_message"
    __table_args__ = (Index("ix_private_message_recipient_unread", "recipient_id", "read"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    content: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(default=False)
    removed: Mapped[bool] = mapped_column(default=False)
    read: Mapped[bool] = mapped_column(default=False)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
    ap_id: Mapped[str] = mapped_column(String(2000), unique=True)
    local: Mapped[bool] = mapped_column(default=True)
