from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow
from agora.db.mixins import VoteCounts

# Keys listings sort on; an index per feed shape each, so every sort is a range scan (queries.post_listings).
SORT_KEYS = (
    "hot_rank",
    "hot_rank_active",
    "scaled_rank",
    "controversy_rank",
    "score",
    "comments",
    "newest_comment_time",
    "published",
)
_VISIBLE = text("deleted = false AND removed = false")


def _listing_indexes() -> tuple[Index, ...]:
    out = []
    for key in SORT_KEYS:
        out.append(
            Index(f"ix_post_feed_{key}", "featured_local", key, "id", postgresql_where=_VISIBLE, sqlite_where=_VISIBLE)
        )
        out.append(
            Index(
                f"ix_post_community_{key}",
                "community_id",
                "featured_community",
                key,
                "id",
                postgresql_where=_VISIBLE,
                sqlite_where=_VISIBLE,
            )
        )
    return tuple(out)


class Post(VoteCounts, Base):
    """A link, text or image post, with its counts and ranks (Lemmy's post_aggregates, kept on the row)."""

    __tablename__ = "post"
    __table_args__ = (
        *_listing_indexes(),
        Index("ix_post_creator_published", "creator_id", "published"),
        Index("ix_post_url", "url"),
        Index(
            "ix_post_nonzero_rank",
            "published",
            postgresql_where=text("hot_rank <> 0 OR hot_rank_active <> 0"),
            sqlite_where=text("hot_rank <> 0 OR hot_rank_active <> 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    body: Mapped[str | None] = mapped_column(Text)
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    removed: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    deleted: Mapped[bool] = mapped_column(default=False)
    nsfw: Mapped[bool] = mapped_column(default=False)
    embed_title: Mapped[str | None] = mapped_column(Text)
    embed_description: Mapped[str | None] = mapped_column(Text)
    embed_video_url: Mapped[str | None] = mapped_column(String(2000))
    thumbnail_url: Mapped[str | None] = mapped_column(String(2000))
    url_content_type: Mapped[str | None] = mapped_column(String(255))
    alt_text: Mapped[str | None] = mapped_column(Text)
    ap_id: Mapped[str] = mapped_column(String(2000), unique=True)
    local: Mapped[bool] = mapped_column(default=True)
    language_id: Mapped[int] = mapped_column(ForeignKey("language.id"), default=0)
    featured_community: Mapped[bool] = mapped_column(default=False)
    featured_local: Mapped[bool] = mapped_column(default=False)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
    comments: Mapped[int] = mapped_column(default=0)
    newest_comment_time: Mapped[datetime] = mapped_column(default=utcnow)
    newest_comment_time_necro: Mapped[datetime] = mapped_column(default=utcnow)
    hot_rank: Mapped[float] = mapped_column(default=0.0001)
    hot_rank_active: Mapped[float] = mapped_column(default=0.0001)
    scaled_rank: Mapped[float] = mapped_column(default=0.0001)
    controversy_rank: Mapped[float] = mapped_column(default=0.0)
