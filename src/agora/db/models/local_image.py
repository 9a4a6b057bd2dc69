from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class LocalImage(Base):
    """An image stored under AGORA_MEDIA_DIR: an upload (with its owner and delete token) or a link's thumbnail."""

    __tablename__ = "local_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail_name: Mapped[str] = mapped_column(String(80))
    local_user_id: Mapped[int | None] = mapped_column(ForeignKey("local_user.id", ondelete="SET NULL"), index=True)
    delete_token: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    published: Mapped[datetime] = mapped_column(default=utcnow)
