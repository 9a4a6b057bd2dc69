from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import BlockColumns


class InstanceBlock(BlockColumns, Base):
    """A member hides a whole instance."""

    __tablename__ = "instance_block"

    instance_id: Mapped[int] = mapped_column(
        ForeignKey("instance.id", ondelete="CASCADE"), primary_key=True, index=True
    )
