from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class Instance(Base):
    """A server we know of, this one included; `updated` is when it was last seen alive."""

    __tablename__ = "instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    software: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[str | None] = mapped_column(String(64))
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
