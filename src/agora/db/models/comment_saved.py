from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import MarkColumns


class CommentSaved(MarkColumns, Base):
    """A comment a member saved."""

    __tablename__ = "comment_saved"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
