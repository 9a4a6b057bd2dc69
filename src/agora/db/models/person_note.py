from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PersonNote(Base):
    """A private note a member keeps about another person (Lemmy 1.0); only its writer ever reads it."""

    __tablename__ = "person_note"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    note: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime] = mapped_column(default=utcnow)
