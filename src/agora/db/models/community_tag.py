from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class CommunityTag(Base):
    """A tag a community's moderators offer for its posts (Lemmy 1.0); deleted tags are kept, marked."""

    __tablename__ = "community_tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    ap_id: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    summary: Mapped[str | None] = mapped_column(Text)
    color: Mapped[str] = mapped_column(String(16), default="color01", server_default="color01")
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None] = mapped_column()
    deleted: Mapped[bool] = mapped_column(default=False, server_default=false())
