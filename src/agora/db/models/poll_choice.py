from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class PollChoice(Base):
    """One answer of a poll, in its place (`position`, from 0), with its vote count. Names are unique in a poll:
    a vote names its choice on the wire."""

    __tablename__ = "poll_choice"
    __table_args__ = (UniqueConstraint("post_id", "position"), UniqueConstraint("post_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("poll.post_id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    votes: Mapped[int] = mapped_column(default=0)
