from sqlalchemy import Index, UniqueConstraint

from agora.db.base import Base
from agora.db.mixins import InboxItemColumns


class CommentReply(InboxItemColumns, Base):
    """A reply to one of the recipient's posts or comments, waiting in their inbox."""

    __tablename__ = "comment_reply"
    __table_args__ = (
        UniqueConstraint("recipient_id", "comment_id"),
        Index("ix_comment_reply_recipient_unread", "recipient_id", "read"),
    )
