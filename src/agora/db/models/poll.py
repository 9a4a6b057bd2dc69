from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class Poll(Base):
    """The poll a post carries (an ActivityPub Question): one or several choices, open until `end_time`.

    `voters` counts the people who chose anything; a remote poll's counts are what its server last said
    (`counted`), plus the votes of our members since."""

    __tablename__ = "poll"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    multiple: Mapped[bool] = mapped_column(default=False)
    end_time: Mapped[datetime | None]
    voters: Mapped[int] = mapped_column(default=0)
    counted: Mapped[datetime | None]
