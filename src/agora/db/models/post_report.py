from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import ReportColumns


class PostReport(ReportColumns, Base):
    """A member's report of a post, with the post as it read when reported."""

    __tablename__ = "post_report"
    __table_args__ = (UniqueConstraint("post_id", "creator_id"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    original_post_name: Mapped[str] = mapped_column(String(200))
    original_post_url: Mapped[str | None] = mapped_column(String(2000))
    original_post_body: Mapped[str | None] = mapped_column(Text)
