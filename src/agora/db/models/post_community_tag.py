from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class PostCommunityTag(Base):
    """A community tag a post carries."""

    __tablename__ = "post_community_tag"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    community_tag_id: Mapped[int] = mapped_column(
        ForeignKey("community_tag.id", ondelete="CASCADE"), primary_key=True, index=True
    )
