from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class SentActivity(Base):
    """An activity we send, stored once whatever the number of recipients (Lemmy's sent_activity).

    Workers walk `seq`, not `id`: on PostgreSQL concurrent transactions commit in any order, so a row with a
    lower id can become visible after a higher one. `seq` is given to committed rows only, in one place at a time
    (federation.queue.sequence), so a worker that has passed a seq can never see a smaller one appear.

    Recipients are described, not listed per instance: explicit `inboxes` (a JSON list), the remote followers of
    `followers_of` (a local community), or every instance we federate with. Each remote instance's worker walks
    these rows in seq order from its own saved position (FederationQueueState).
    """

    __tablename__ = "sent_activity"
    __table_args__ = (
        Index(
            "ix_sent_activity_unsequenced", "id", postgresql_where=text("seq IS NULL"), sqlite_where=text("seq IS NULL")
        ),
        {"sqlite_autoincrement": True},  # ids are never reused, even after old rows are deleted
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ap_id: Mapped[str] = mapped_column(String(2000), unique=True)
    actor: Mapped[str] = mapped_column(String(2000))
    data: Mapped[str] = mapped_column(Text)
    inboxes: Mapped[str] = mapped_column(Text, default="[]")
    followers_of: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="SET NULL"))
    all_instances: Mapped[bool] = mapped_column(default=False)
    seq: Mapped[int | None] = mapped_column(unique=True)
    published: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))  # the request that queued it, for its log lines
