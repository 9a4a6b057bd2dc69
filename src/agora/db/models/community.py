from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import ActorTimes


class Community(ActorTimes, Base):
    """A community (ActivityPub Group), local or remote, with its counts (Lemmy's community_aggregates)."""

    __tablename__ = "community"
    __table_args__ = (
        Index("uq_community_instance_name", "instance_id", text("lower(name)"), unique=True),
        Index("ix_community_hot", "hot_rank", "id"),
        Index("ix_community_subscribers", "subscribers", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    removed: Mapped[bool] = mapped_column(default=False)
    deleted: Mapped[bool] = mapped_column(default=False)
    nsfw: Mapped[bool] = mapped_column(default=False)
    actor_id: Mapped[str] = mapped_column(String(2000), unique=True)
    local: Mapped[bool] = mapped_column(default=True)
    icon: Mapped[str | None] = mapped_column(String(2000))
    banner: Mapped[str | None] = mapped_column(String(2000))
    hidden: Mapped[bool] = mapped_column(default=False)
    posting_restricted_to_mods: Mapped[bool] = mapped_column(default=False)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id", ondelete="CASCADE"), index=True)
    visibility: Mapped[str] = mapped_column(String(16), default="Public")
    public_key: Mapped[str | None] = mapped_column(Text)
    private_key: Mapped[str | None] = mapped_column(Text)
    inbox_url: Mapped[str | None] = mapped_column(String(2000))
    shared_inbox_url: Mapped[str | None] = mapped_column(String(2000))
    followers_url: Mapped[str | None] = mapped_column(String(2000))
    moderators_url: Mapped[str | None] = mapped_column(String(2000))
    featured_url: Mapped[str | None] = mapped_column(String(2000))
    subscribers: Mapped[int] = mapped_column(default=0)
    subscribers_local: Mapped[int] = mapped_column(default=0)
    posts: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    users_active_day: Mapped[int] = mapped_column(default=0)
    users_active_week: Mapped[int] = mapped_column(default=0)
    users_active_month: Mapped[int] = mapped_column(default=0)
    users_active_half_year: Mapped[int] = mapped_column(default=0)
    hot_rank: Mapped[float] = mapped_column(default=0.0001)
