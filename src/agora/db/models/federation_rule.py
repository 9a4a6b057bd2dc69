from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class FederationRule(Base):
    """The site's allow list and block list of instances (Lemmy's federation_allowlist / federation_blocklist).

    `kind` is "allowed" or "blocked". While any instance is allowed, only allowed instances federate. A block
    with `expires` ends then (it is no longer read as a rule).
    """

    __tablename__ = "federation_rule"

    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    published: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    expires: Mapped[datetime | None]
    updated: Mapped[datetime | None]
