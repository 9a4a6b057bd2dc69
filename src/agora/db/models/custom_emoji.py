from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class CustomEmoji(Base):
    __tablename__ = "custom_emoji"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_site_id: Mapped[int] = mapped_column(ForeignKey("local_site.id", ondelete="CASCADE"), index=True)
    shortcode: Mapped[str] = mapped_column(String(128), unique=True)
    image_url: Mapped[str] = mapped_column(String(2000))
    alt_text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(128))
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
