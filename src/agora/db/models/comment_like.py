from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class CommentLike(Base):
    """A vote on a comment: +1 or -1; no row means no vote."""

    __tablename__ = "comment_like"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    score: Mapped[int]
    published: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # "here now" (queries.activity)
