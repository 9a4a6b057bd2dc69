from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class LocalUser(Base):
    """An account that logs in here: credentials and settings. The public side is its Person."""

    __tablename__ = "local_user"
    __table_args__ = (
        Index("uq_local_user_email", text("lower(email)"), unique=True),
        # the admins, looked up by every view's creator_is_admin flag (migration 0030)
        Index(
            "ix_local_user_admin", "person_id", postgresql_where=text("admin = true"), sqlite_where=text("admin = true")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    password_encrypted: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    show_nsfw: Mapped[bool] = mapped_column(default=False)
    theme: Mapped[str] = mapped_column(String(64), default="browser")
    default_sort_type: Mapped[str] = mapped_column(String(20), default="Active")
    default_listing_type: Mapped[str] = mapped_column(String(16), default="Local")
    interface_language: Mapped[str] = mapped_column(String(20), default="browser")
    show_avatars: Mapped[bool] = mapped_column(default=True)
    send_notifications_to_email: Mapped[bool] = mapped_column(default=False)
    show_scores: Mapped[bool] = mapped_column(default=True)
    show_bot_accounts: Mapped[bool] = mapped_column(default=True)
    show_read_posts: Mapped[bool] = mapped_column(default=True)
    email_verified: Mapped[bool] = mapped_column(default=False)
    accepted_application: Mapped[bool] = mapped_column(default=False)
    open_links_in_new_tab: Mapped[bool] = mapped_column(default=False)
    blur_nsfw: Mapped[bool] = mapped_column(default=True)
    auto_expand: Mapped[bool] = mapped_column(default=False)
    infinite_scroll_enabled: Mapped[bool] = mapped_column(default=False)
    admin: Mapped[bool] = mapped_column(default=False)
    post_listing_mode: Mapped[str] = mapped_column(String(16), default="List")
    totp_2fa_secret: Mapped[str | None] = mapped_column(Text)
    totp_2fa_enabled: Mapped[bool] = mapped_column(default=False)
    enable_keyboard_navigation: Mapped[bool] = mapped_column(default=False)
    enable_animated_images: Mapped[bool] = mapped_column(default=True)
    collapse_bot_comments: Mapped[bool] = mapped_column(default=False)
    last_donation_notification: Mapped[datetime] = mapped_column(default=utcnow)
    # Lemmy's local_user_vote_display_mode, kept on the same row
    vote_display_score: Mapped[bool] = mapped_column(default=False)
    vote_display_upvotes: Mapped[bool] = mapped_column(default=True)
    vote_display_downvotes: Mapped[bool] = mapped_column(default=True)
    vote_display_upvote_percentage: Mapped[bool] = mapped_column(default=False)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    # moved in the transaction of every write to what the member's reads depend on (db/viewer_versions.py)
    viewer_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
