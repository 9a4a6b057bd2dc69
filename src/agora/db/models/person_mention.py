from sqlalchemy import Index, UniqueConstraint

from agora.db.base import Base
from agora.db.mixins import InboxItemColumns


class PersonMention(InboxItemColumns, Base):
    """An @mention of the recipient in a comment, waiting in their inbox."""

    __tablename__ = "person_mention"
    __table_args__ = (
        UniqueConstraint("recipient_id", "comment_id"),
        Index("ix_person_mention_recipient_unread", "recipient_id", "read"),
    )
