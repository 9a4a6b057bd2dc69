from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class PersonWarning(Base):
    """A moderator's warning to a person about a post or comment (Agora's step before a ban)."""

    __tablename__ = "person_warning"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    mod_person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    read: Mapped[bool] = mapped_column(default=False)
    published: Mapped[datetime] = mapped_column(default=utcnow)
