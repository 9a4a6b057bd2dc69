from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class LocalSiteUrlBlocklist(Base):
    """One address the site refuses links to (Lemmy's blocked_urls), kept without its scheme or trailing slash."""

    __tablename__ = "local_site_url_blocklist"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
