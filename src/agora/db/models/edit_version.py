from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base, utcnow


class EditVersion(Base):
    """A version of a post, comment or private message that an edit replaced: what it showed, from `published`
    (when it became current) until `replaced_at`, and who made the edit that replaced it (`editor_id`: the author,
    a moderator or admin, or for an Update from a peer its remote author).

    Exactly one of `post_id`, `comment_id`, `private_message_id` is set (domain.edit_history writes them); each
    cascades, so a purge (or any delete) of the item takes its versions with it. `name`, `url` and `nsfw` are a
    post's; a comment's or a message's text is in `body`. A purged editor leaves `editor_id` empty: the version is
    the item's, not theirs.
    """

    __tablename__ = "edit_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    private_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("private_message.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    nsfw: Mapped[bool | None]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    published: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
