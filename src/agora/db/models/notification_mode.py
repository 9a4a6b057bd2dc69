from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class CommunityNotifications(Base):
    """A member's notification mode for one community, when it is not the default (replies and mentions)."""

    __tablename__ = "community_notifications"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    mode: Mapped[str] = mapped_column(String(30))


class PostNotifications(Base):
    """A member's notification mode for one post, when it is not the default (replies and mentions); it
    overrides the mode of the post's community."""

    __tablename__ = "post_notifications"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True, index=True)
    mode: Mapped[str] = mapped_column(String(30))
