from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PostReport(Base):
    """A member's report of a post, with the post as it read when reported."""

    __tablename__ = "post_report"
    __table_args__ = (UniqueConstraint("post_id", "creator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    original_post_name: Mapped[str] = mapped_column(String(200))
    original_post_url: Mapped[str | None] = mapped_column(String(2000))
    original_post_body: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(default=False, index=True)
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
