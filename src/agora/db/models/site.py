from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class Site(Base):
    """The public face of an instance (ours and remote ones): name, sidebar, its Application actor."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    sidebar: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(String(150))
    icon: Mapped[str | None] = mapped_column(String(2000))
    banner: Mapped[str | None] = mapped_column(String(2000))
    actor_id: Mapped[str] = mapped_column(String(2000), unique=True)
    inbox_url: Mapped[str] = mapped_column(String(2000))
    public_key: Mapped[str | None] = mapped_column(Text)
    private_key: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id", ondelete="CASCADE"), unique=True)
    content_warning: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
    last_refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)
