from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class ModlogEntry(Base):
    """One moderator or admin action. `kind` names Lemmy's modlog table it stands for (ModRemovePost, ModBan …);
    `flag` is that kind's boolean (removed, locked, featured, banned, hidden, or "removed" for ModAdd*).

    Purge entries keep no reference to what they purged (it is gone), only the community or post it was in.
    """

    __tablename__ = "modlog_entry"
    __table_args__ = (Index("ix_modlog_entry_kind_when", "kind", "when_"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    mod_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    other_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    flag: Mapped[bool] = mapped_column(default=True)
    featured_community: Mapped[bool] = mapped_column(default=False)
    expires: Mapped[datetime | None]
    when_: Mapped[datetime] = mapped_column(default=utcnow, index=True)
