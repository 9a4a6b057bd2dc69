from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class InstanceBlock(Base):
    """A member hides a whole instance."""

    __tablename__ = "instance_block"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("instance.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    published: Mapped[datetime] = mapped_column(default=utcnow)
