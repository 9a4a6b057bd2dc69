from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import CommunityRoleColumns


class CommunityModerator(CommunityRoleColumns, Base):
    """A moderator of a community; the lowest `rank` is the top moderator."""

    __tablename__ = "community_moderator"
    __table_args__ = (UniqueConstraint("community_id", "person_id"),)

    rank: Mapped[int] = mapped_column(default=0)
