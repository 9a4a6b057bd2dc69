from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class Secret(Base):
    """The instance's JWT signing key, made once on first start."""

    __tablename__ = "secret"

    id: Mapped[int] = mapped_column(primary_key=True)
    jwt_secret: Mapped[str] = mapped_column(Text)
