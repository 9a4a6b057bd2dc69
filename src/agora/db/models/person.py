from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class Person(Base):
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
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
    last_refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)
    post_count: Mapped[int] = mapped_column(default=0)
    post_score: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    comment_score: Mapped[int] = mapped_column(default=0)
    # Account moves: the actors this account says it also is (alsoKnownAs, one ap_id a line), and the actor it
    # moved to (movedTo), after which a local account writes nothing more.
    also_known_as: Mapped[str | None] = mapped_column(Text)
    moved_to: Mapped[str | None] = mapped_column(String(2000))
    moved_at: Mapped[datetime | None]
