from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import ActorTimes


class Person(ActorTimes, Base):
    """Every account we know, local or remote, with its counts (Lemmy's person_aggregates)."""

    __tablename__ = "person"
    __table_args__ = (Index("uq_person_instance_name", "instance_id", text("lower(name)"), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    avatar: Mapped[str | None] = mapped_column(String(2000))
    banner: Mapped[str | None] = mapped_column(String(2000))
    bio: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[str] = mapped_column(String(2000), unique=True)
    local: Mapped[bool] = mapped_column(default=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id", ondelete="CASCADE"), index=True)
    public_key: Mapped[str | None] = mapped_column(Text)
    private_key: Mapped[str | None] = mapped_column(Text)
    inbox_url: Mapped[str | None] = mapped_column(String(2000))
    shared_inbox_url: Mapped[str | None] = mapped_column(String(2000))
    matrix_user_id: Mapped[str | None] = mapped_column(String(255))
    bot_account: Mapped[bool] = mapped_column(default=False)
    banned: Mapped[bool] = mapped_column(default=False)
    ban_expires: Mapped[datetime | None]
    deleted: Mapped[bool] = mapped_column(default=False)
    post_count: Mapped[int] = mapped_column(default=0)
    post_score: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    comment_score: Mapped[int] = mapped_column(default=0)
