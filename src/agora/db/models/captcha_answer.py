from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class CaptchaAnswer(Base):
    """The expected answer of a captcha handed out; single use, expires after ten minutes."""

    __tablename__ = "captcha_answer"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    answer: Mapped[str] = mapped_column(String(16))
    published: Mapped[datetime] = mapped_column(default=utcnow, index=True)
