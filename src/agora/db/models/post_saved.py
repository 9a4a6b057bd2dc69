from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import MarkColumns


class PostSaved(MarkColumns, Base):
    """A post a member saved."""

    __tablename__ = "post_saved"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
