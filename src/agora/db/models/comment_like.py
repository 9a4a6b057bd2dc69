from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import VoteColumns


class CommentLike(VoteColumns, Base):
    """A vote on a comment: +1 or -1; no row means no vote."""

    __tablename__ = "comment_like"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
