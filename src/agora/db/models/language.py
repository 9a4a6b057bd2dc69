from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class Language(Base):
    """ISO 639 languages; id 0 is "undetermined". Rows are seeded by the first migration."""

    __tablename__ = "language"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(64))
