from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class LocalUserInvite(Base):
    """A member's registration invitation: its token lets someone register while the site requires one, up to
    `max_uses` times (no limit when None) until `expires` (never when None). Revoking deletes it."""

    __tablename__ = "local_user_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    local_user_id: Mapped[int] = mapped_column(ForeignKey("local_user.id", ondelete="CASCADE"), index=True)
    max_uses: Mapped[int | None]
    uses_count: Mapped[int] = mapped_column(default=0)
    expires: Mapped[datetime | None]
    published: Mapped[datetime] = mapped_column(default=utcnow)
