from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped

from agora.db.base import Base
from agora.db.mixins import CommunityRoleColumns


class CommunityPersonBan(CommunityRoleColumns, Base):
    """A ban from one community; it lapses by itself once `expires` has passed."""

    __tablename__ = "community_person_ban"
    __table_args__ = (UniqueConstraint("community_id", "person_id"),)

    expires: Mapped[datetime | None]
