from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow
from agora.db.mixins import VoteCounts

_VISIBLE = text("deleted = false AND removed = false")


class Comment(VoteCounts, Base):
    """A comment in a post's tree, with its counts and ranks.

    `locked` is set on a locked comment and on every comment below it, so a reply checks its parent alone.
    `path` is Lemmy's materialised path: "0", then the ids of every ancestor and the comment itself
    ("0.12.45"). It is compared bytewise (collation C) so a subtree is one index range.
    """

    __tablename__ = "comment"
    __table_args__ = (
        # a post's tree in Hot order: depth, then distinguished, rank and id descending (migration 0030)
        Index(
            "ix_comment_post_tree_hot",
            "post_id",
            "depth",
            text("distinguished DESC"),
            text("hot_rank DESC"),
            text("id DESC"),
        ),
        Index("ix_comment_post_path", "post_id", "path"),
        Index("ix_comment_post_score", "post_id", "score", "id"),
        Index("ix_comment_post_published", "post_id", "published", "id"),
        Index("ix_comment_creator_published", "creator_id", "published"),
        Index("ix_comment_published", "published", "id"),
        Index(
            "ix_comment_nonzero_rank", "id", postgresql_where=text("hot_rank <> 0"), sqlite_where=text("hot_rank <> 0")
        ),
        # site-wide listings in Hot, Top and Controversial order (migration 0030)
        *(
            Index(
                f"ix_comment_{name}",
                text(f"{column} DESC"),
                text("id DESC"),
                postgresql_where=_VISIBLE,
                sqlite_where=_VISIBLE,
            )
            for name, column in (("hot", "hot_rank"), ("score", "score"), ("controversy", "controversy_rank"))
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text)
    removed: Mapped[bool] = mapped_column(default=False)
    deleted: Mapped[bool] = mapped_column(default=False)
    ap_id: Mapped[str] = mapped_column(String(2000), unique=True)
    local: Mapped[bool] = mapped_column(default=True)
    path: Mapped[str] = mapped_column(String(1024).with_variant(String(1024, collation="C"), "postgresql"))
    depth: Mapped[int] = mapped_column(default=0)
    distinguished: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)  # a moderator's lock: no replies below (Lemmy 1.0)
    language_id: Mapped[int] = mapped_column(ForeignKey("language.id"), default=0)
    published: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None]
    child_count: Mapped[int] = mapped_column(default=0)
    hot_rank: Mapped[float] = mapped_column(default=0.0001)
    controversy_rank: Mapped[float] = mapped_column(default=0.0)
