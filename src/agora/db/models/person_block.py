from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import BlockColumns


class PersonBlock(BlockColumns, Base):
    """A member hides another person's content."""

    __tablename__ = "person_block"

    target_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
