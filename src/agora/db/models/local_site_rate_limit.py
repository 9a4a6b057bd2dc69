from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class LocalSiteRateLimit(Base):
    """Per-IP allowances: `<kind>` actions per `<kind>_per_second` seconds (Lemmy's naming: an interval, not a rate)."""

    __tablename__ = "local_site_rate_limit"

    local_site_id: Mapped[int] = mapped_column(ForeignKey("local_site.id", ondelete="CASCADE"), primary_key=True)
    message: Mapped[int] = mapped_column(default=180)
    message_per_second: Mapped[int] = mapped_column(default=60)
    post: Mapped[int] = mapped_column(default=6)
    post_per_second: Mapped[int] = mapped_column(default=600)
    register: Mapped[int] = mapped_column(default=10)
    register_per_second: Mapped[int] = mapped_column(default=3600)
    image: Mapped[int] = mapped_column(default=6)
    image_per_second: Mapped[int] = mapped_column(default=3600)
    comment: Mapped[int] = mapped_column(default=6)
    comment_per_second: Mapped[int] = mapped_column(default=600)
    search: Mapped[int] = mapped_column(default=60)
    search_per_second: Mapped[int] = mapped_column(default=600)
    import_user_settings: Mapped[int] = mapped_column(default=1)
    import_user_settings_per_second: Mapped[int] = mapped_column(default=86400)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
