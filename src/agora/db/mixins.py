"""Columns that a family of models shares, declared once: reports, inbox items, votes, a member's blocks, actors.

Each mixin is a plain class; SQLAlchemy copies its mapped columns (foreign keys included) into every model that
inherits it, so each table keeps its own columns, indexes and constraint names.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import utcnow


class ReportColumns:
    """Who reported, why, and whether and by whom it was resolved."""

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(default=False, index=True)
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]


class InboxItemColumns:
    """A comment waiting in its recipient's inbox until read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    read: Mapped[bool] = mapped_column(default=False)
    published: Mapped[datetime] = mapped_column(default=utcnow)


class VoteColumns:
    """The voter and their +1 or -1; the voted thing's key is the model's own."""

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    score: Mapped[int]
    published: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # "here now" (queries.activity)


class BlockColumns:
    """The member who blocks, and since when; the blocked thing's key is the model's own."""

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    published: Mapped[datetime] = mapped_column(default=utcnow)


class MarkColumns:
    """The member who saved or hid something, and when; the marked thing's key is the model's own."""

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    published: Mapped[datetime] = mapped_column(default=utcnow)


class ActorTimes:
    """When an actor was made, last edited, and last refreshed from its home server."""

    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
    last_refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)
