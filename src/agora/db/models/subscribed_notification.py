from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class SubscribedNotification(Base):
    """A new post (comment_id None) or comment the recipient asked to hear of by a notification mode."""

    __tablename__ = "subscribed_notification"
    __table_args__ = (Index("ix_subscribed_notification_recipient_unread", "recipient_id", "read"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    read: Mapped[bool] = mapped_column(default=False)
    published: Mapped[datetime] = mapped_column(default=utcnow)
