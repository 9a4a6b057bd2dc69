from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class MultiCommunityEntry(Base):
    """A community listed in a multi-community."""

    __tablename__ = "multi_community_entry"

    multi_community_id: Mapped[int] = mapped_column(
        ForeignKey("multi_community.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True, index=True
    )
