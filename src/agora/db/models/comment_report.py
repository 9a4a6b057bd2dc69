from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import ReportColumns


class CommentReport(ReportColumns, Base):
    """A member's report of a comment, with the text as it read when reported."""

    __tablename__ = "comment_report"
    __table_args__ = (UniqueConstraint("comment_id", "creator_id"),)

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    original_comment_text: Mapped[str] = mapped_column(Text)
