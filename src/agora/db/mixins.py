"""Columns that a family of models shares, declared once: reports, inbox items, votes and their counts, a member's
blocks, community roles, actors.

Each mixin is a plain class; SQLAlchemy copies its mapped columns (foreign keys included) into every model that
inherits it, so each table keeps its own columns, indexes and constraint names.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
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


class VoteCounts:
    """The sum of a post's or comment's votes and how many went each way (Lemmy's aggregates, kept on the row)."""

    score: Mapped[int] = mapped_column(default=0)
    upvotes: Mapped[int] = mapped_column(default=0)
    downvotes: Mapped[int] = mapped_column(default=0)


class CommunityRoleColumns:
    """A person's role in one community (moderator, banned): one row a pair, which the model's table makes unique."""

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    published: Mapped[datetime] = mapped_column(default=utcnow)


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


class ActorMoves:
    """A person's or community's move: the actors it says it also is (alsoKnownAs, one ap_id a line), and the actor
    it moved to (movedTo), after which nothing more is written by it or in it."""

    also_known_as: Mapped[str | None] = mapped_column(Text)
    moved_to: Mapped[str | None] = mapped_column(String(2000))
    moved_at: Mapped[datetime | None]
