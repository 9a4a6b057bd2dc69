from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class FederationQueueState(Base):
    """Where delivery to one remote instance stands: the last activity delivered, failures and the next retry.

    One row per instance (rows grow with instances, not with activities × instances). A process delivers to an
    instance only while it holds the row's lease, so several processes on one database never send the same
    activity twice at once.
    """

    __tablename__ = "federation_queue_state"

    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id", ondelete="CASCADE"), primary_key=True)
    last_successful_seq: Mapped[int] = mapped_column(default=0)
    last_successful_published: Mapped[datetime | None]
    last_success: Mapped[datetime | None]
    fail_count: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None]
    last_retry: Mapped[datetime | None]
    next_retry: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    holder: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None]
