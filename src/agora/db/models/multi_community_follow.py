from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class MultiCommunityFollow(Base):
    """A person following a multi-community; `state` is "Accepted" (or "Pending" while a remote feed answers)."""

    __tablename__ = "multi_community_follow"

    multi_community_id: Mapped[int] = mapped_column(
        ForeignKey("multi_community.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    state: Mapped[str] = mapped_column(String(16), default="Accepted")
    published: Mapped[datetime] = mapped_column(default=utcnow)
