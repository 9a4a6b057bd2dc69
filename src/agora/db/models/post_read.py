from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PostRead(Base):
    """A post a member has read, and how many comments it had then (for `unread_comments`)."""

    __tablename__ = "post_read"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    read_comments: Mapped[int] = mapped_column(default=0)
    published: Mapped[datetime] = mapped_column(default=utcnow)
