from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class Tagline(Base):
    __tablename__ = "tagline"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_site_id: Mapped[int] = mapped_column(ForeignKey("local_site.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
