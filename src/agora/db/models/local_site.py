from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class LocalSite(Base):
    """This instance's settings (one row) and its counts, which Lemmy keeps in site_aggregates."""

    __tablename__ = "local_site"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), unique=True)
    site_setup: Mapped[bool] = mapped_column(default=False)
    enable_downvotes: Mapped[bool] = mapped_column(default=True)
    enable_nsfw: Mapped[bool] = mapped_column(default=True)
    community_creation_admin_only: Mapped[bool] = mapped_column(default=False)
    require_email_verification: Mapped[bool] = mapped_column(default=False)
    application_question: Mapped[str | None] = mapped_column(Text)
    private_instance: Mapped[bool] = mapped_column(default=False)
    default_theme: Mapped[str] = mapped_column(String(64), default="browser")
    default_post_listing_type: Mapped[str] = mapped_column(String(16), default="Local")
    default_sort_type: Mapped[str] = mapped_column(String(20), default="Active")
    legal_information: Mapped[str | None] = mapped_column(Text)
    hide_modlog_mod_names: Mapped[bool] = mapped_column(default=True)
    application_email_admins: Mapped[bool] = mapped_column(default=False)
    slur_filter_regex: Mapped[str | None] = mapped_column(Text)
    actor_name_max_length: Mapped[int] = mapped_column(default=20)
    federation_enabled: Mapped[bool] = mapped_column(default=True)
    captcha_enabled: Mapped[bool] = mapped_column(default=False)
    captcha_difficulty: Mapped[str] = mapped_column(String(16), default="medium")
    registration_mode: Mapped[str] = mapped_column(String(20), default="Open")
    reports_email_admins: Mapped[bool] = mapped_column(default=False)
    federation_signed_fetch: Mapped[bool] = mapped_column(default=False)
    default_post_listing_mode: Mapped[str] = mapped_column(String(16), default="List")
    # the multi-community the "Suggested" listing reads (Lemmy 1.0)
    suggested_multi_community_id: Mapped[int | None] = mapped_column(
        ForeignKey("multi_community.id", ondelete="SET NULL")
    )
    oauth_registration: Mapped[bool] = mapped_column(default=False, server_default=false())  # sign-ups via a provider
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
    # aggregates (local content only)
    users: Mapped[int] = mapped_column(default=0)
    posts: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    communities: Mapped[int] = mapped_column(default=0)
    users_active_day: Mapped[int] = mapped_column(default=0)
    users_active_week: Mapped[int] = mapped_column(default=0)
    users_active_month: Mapped[int] = mapped_column(default=0)
    users_active_half_year: Mapped[int] = mapped_column(default=0)
    # moved by a write that may change every member's reads (db/viewer_versions.py)
    viewer_epoch: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
