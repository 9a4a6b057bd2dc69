from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import ReportColumns


class CommunityReport(ReportColumns, Base):
    """A member's report of a whole community to the admins (Lemmy 1.0), with the community as it read then."""

    __tablename__ = "community_report"
    __table_args__ = (UniqueConstraint("community_id", "creator_id"),)

    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    original_community_name: Mapped[str] = mapped_column(String(255))
    original_community_title: Mapped[str] = mapped_column(String(255))
    original_community_description: Mapped[str | None] = mapped_column(Text)
    original_community_icon: Mapped[str | None] = mapped_column(String(2000))
    original_community_banner: Mapped[str | None] = mapped_column(String(2000))
