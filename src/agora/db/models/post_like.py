from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import VoteColumns


class PostLike(VoteColumns, Base):
    """A vote on a post: +1 or -1; no row means no vote."""

    __tablename__ = "post_like"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
