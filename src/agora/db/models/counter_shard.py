from sqlalchemy import BigInteger, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from agora.db.base import Base


class CounterShard(Base):
    """Increments of a count kept on another row (db.counter_shards): the count is that row's column plus the sum
    of its shards, so concurrent writers add to one of several rows instead of queueing on one."""

    __tablename__ = "counter_shard"

    scope: Mapped[str] = mapped_column(String(32), primary_key=True)  # the counted row's table
    row_id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)  # the counted column
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
