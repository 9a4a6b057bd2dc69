from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class CustomEmojiKeyword(Base):
    __tablename__ = "custom_emoji_keyword"

    custom_emoji_id: Mapped[int] = mapped_column(ForeignKey("custom_emoji.id", ondelete="CASCADE"), primary_key=True)
    keyword: Mapped[str] = mapped_column(String(128), primary_key=True)
