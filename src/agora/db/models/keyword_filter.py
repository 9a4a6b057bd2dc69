from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class KeywordFilter(Base):
    """A word a member never wants to see: posts whose title or body contain it leave their listings.

    `keyword` is what they typed, lowercased; `pattern` is it escaped for LIKE (`%`, `_` and `\\` taken literally).
    """

    __tablename__ = "keyword_filter"
    __table_args__ = (UniqueConstraint("local_user_id", "keyword"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    local_user_id: Mapped[int] = mapped_column(ForeignKey("local_user.id", ondelete="CASCADE"))
    keyword: Mapped[str] = mapped_column(String(100))
    pattern: Mapped[str] = mapped_column(String(300))
