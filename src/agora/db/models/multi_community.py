from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import ActorTimes


class MultiCommunity(ActorTimes, Base):
    """A multi-community (Lemmy 1.0's feed): a person's named list of communities, read as one post listing,
    with its counts of followers and communities."""

    __tablename__ = "multi_community"
    __table_args__ = (Index("uq_multi_community_instance_name", "instance_id", text("lower(name)"), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    summary: Mapped[str | None] = mapped_column(String(255))
    sidebar: Mapped[str | None] = mapped_column(Text)
    local: Mapped[bool] = mapped_column(default=True)
    deleted: Mapped[bool] = mapped_column(default=False)
    actor_id: Mapped[str] = mapped_column(String(2000), unique=True)
    # a Feed actor's keys and collections, for when multi-communities federate
    public_key: Mapped[str | None] = mapped_column(Text)
    private_key: Mapped[str | None] = mapped_column(Text)
    inbox_url: Mapped[str | None] = mapped_column(String(2000))
    following_url: Mapped[str | None] = mapped_column(String(2000))
    subscribers: Mapped[int] = mapped_column(default=0)
    subscribers_local: Mapped[int] = mapped_column(default=0)
    communities: Mapped[int] = mapped_column(default=0)
