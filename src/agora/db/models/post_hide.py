from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import MarkColumns


class PostHide(MarkColumns, Base):
    """A post a member hid from their listings."""

    __tablename__ = "post_hide"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
