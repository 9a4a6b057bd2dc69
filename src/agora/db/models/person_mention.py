from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PersonMention(Base):
    """An @mention of the recipient in a comment, waiting in their inbox."""

    __tablename__ = "person_mention"
    __table_args__ = (
        UniqueConstraint("recipient_id", "comment_id"),
        Index("ix_person_mention_recipient_unread", "recipient_id", "read"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    read: Mapped[bool] = mapped_column(default=False)
    published: Mapped[datetime] = mapped_column(default=utcnow)
