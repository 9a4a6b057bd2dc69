from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow

REMOTE = text("remote")


class CommunityFollower(Base):
    """A subscription; `pending` until a remote community accepts the Follow. `remote` is a follower of another
    server: what happens in a local community goes to their instances, found by one small index range instead of
    every follower of a big community joined to their person row."""

    __tablename__ = "community_follower"
    __table_args__ = (
        UniqueConstraint("person_id", "community_id"),
        Index("ix_community_follower_remote", "community_id", postgresql_where=REMOTE, sqlite_where=REMOTE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    pending: Mapped[bool] = mapped_column(default=False)
    remote: Mapped[bool] = mapped_column(default=False, server_default=false())
    published: Mapped[datetime] = mapped_column(default=utcnow)
