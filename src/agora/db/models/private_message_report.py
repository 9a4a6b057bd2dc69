from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base
from agora.db.mixins import ReportColumns


class PrivateMessageReport(ReportColumns, Base):
    """A recipient's report of a private message to the admins, with the text as it read when reported."""

    __tablename__ = "private_message_report"
    __table_args__ = (UniqueConstraint("private_message_id", "creator_id"),)

    private_message_id: Mapped[int] = mapped_column(ForeignKey("private_message.id", ondelete="CASCADE"), index=True)
    original_pm_text: Mapped[str] = mapped_column(Text)
