from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class CommunityModerator(Base):
    """A moderator of a community; the lowest `rank` is the top moderator."""

    __tablename__ = "community_moderator"
    __table_args__ = (UniqueConstraint("community_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(default=0)
    published: Mapped[datetime] = mapped_column(default=utcnow)
