from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PollVote(Base):
    """A person's choice in a poll: one row per voter and choice (several in a multiple-choice poll)."""

    __tablename__ = "poll_vote"
    __table_args__ = (Index("ix_poll_vote_post_person", "post_id", "person_id"),)

    choice_id: Mapped[int] = mapped_column(ForeignKey("poll_choice.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("poll.post_id", ondelete="CASCADE"))
    published: Mapped[datetime] = mapped_column(default=utcnow)
