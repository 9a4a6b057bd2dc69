from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class InstancePersonsBlock(Base):
    """A member hides what the persons of one instance write, wherever they write it (Lemmy 1.0's block of an
    instance's persons; `InstanceBlock` is the block of its communities)."""

    __tablename__ = "instance_persons_block"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("instance.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    published: Mapped[datetime] = mapped_column(default=utcnow)
