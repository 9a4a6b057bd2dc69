from datetime import datetime

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow

QUEUED = text("state = 'queued'")


class ReceivedActivity(Base):
    """An activity another server sent us, stored as it arrived and applied in the background.

    `ap_id` is unique, so a second delivery of the same activity is recognised and dropped. `state` is queued,
    applied, skipped (nothing to do) or failed (`reason` says why); a worker holds a row while `lease_until` lasts.
    """

    __tablename__ = "received_activity"
    __table_args__ = (
        Index("ix_received_activity_state_id", "state", "id"),
        # One actor's activities apply in order: the worker looks up an actor's earlier queued ones.
        Index("ix_received_activity_queued_actor", "actor", "id", postgresql_where=QUEUED, sqlite_where=QUEUED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ap_id: Mapped[str] = mapped_column(String(2000), unique=True)
    actor: Mapped[str] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(64))
    data: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    holder: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None]
    received: Mapped[datetime] = mapped_column(default=utcnow)
    request_id: Mapped[str | None] = mapped_column(String(64))  # the inbox POST's, for the apply's log lines
    processed: Mapped[datetime | None]
