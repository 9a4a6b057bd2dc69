"""`agora import lemmy`: a Lemmy 0.19 database, read in one REPEATABLE READ READ ONLY transaction, copied into
a new Agora database with every id, ActivityPub id, key pair and follow kept, so peers notice no change.

The target must be new (migrated, never served), or an import of the same Lemmy instance that stopped part way:
that one is recognised by its site's key pair and continues where it stopped (importers.copying).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import asyncpg
from sqlalchemy import exists, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.config import Settings
from agora.db.engine import Database, open_database
from agora.db.models import Comment, Instance, LocalSite, LocalSiteRateLimit, Post, Site
from agora.domain import ranking, recounts
from agora.importers import copying
from agora.importers.lemmy_tables import NOT_COPIED, TABLES

KEPT_IDS = [copy.target for copy in TABLES if copy.key == ("id",)]
LOCAL_SITE = (
    "SELECT i.domain, s.public_key FROM local_site l JOIN site s ON s.id = l.site_id"
    " JOIN instance i ON i.id = s.instance_id ORDER BY l.id LIMIT 1"
)


class ImportRefused(Exception):
    """The import cannot start: the source is not a Lemmy database, or the target is not the right one."""


@dataclass(slots=True)
class Report:
    """What an import did per Lemmy table: rows copied in this run and rows skipped (reason → count)."""

    resumed: bool = False
    copied: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)
    not_copied: dict[str, str] = field(default_factory=lambda: dict(NOT_COPIED))
    recounted: int = 0


@dataclass(frozen=True, slots=True)
class Count:
    """A Lemmy table's rows, how many of them the import skips (its report says why), and the rows in Agora."""

    source: str
    target: str
    in_lemmy: int
    skipped: int
    in_agora: int

    @property
    def matches(self) -> bool:
        return self.in_lemmy - self.skipped == self.in_agora


class Watcher(Protocol):
    """Told what the import is doing, to show it (the CLI draws progress bars)."""

    def table(self, name: str, total: int, done: int) -> None:
        """A table starts: `total` rows in Lemmy, `done` already in Agora from an earlier run."""

    def rows(self, name: str, count: int) -> None:
        """`count` more rows of the table were read."""


class Quiet:
    def table(self, name: str, total: int, done: int) -> None:
        pass

    def rows(self, name: str, count: int) -> None:
        pass


def source_dsn(url: str) -> str:
    """asyncpg's form of a PostgreSQL URL (a SQLAlchemy driver suffix is dropped)."""
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    if not url.startswith("postgresql://"):
        raise ImportRefused(f"not a PostgreSQL URL: {url!r} (postgresql://user@host/lemmy)")
    return url


async def _open_source(url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(source_dsn(url), server_settings={"application_name": "agora-import"})
    except (OSError, asyncpg.PostgresError) as exc:
        raise ImportRefused(f"cannot open the Lemmy database: {exc}") from None


async def _lemmy_site(source: asyncpg.Connection) -> asyncpg.Record:
    try:
        site = await source.fetchrow(LOCAL_SITE)
    except asyncpg.UndefinedTableError:
        site = None
    if site is None:
        raise ImportRefused("the source is not a Lemmy database with a local site (no local_site row)")
    return site


async def _is_resume(session: AsyncSession, settings: Settings, site: asyncpg.Record) -> bool:
    """False for a new database; True for an earlier import of this same instance; refused otherwise."""
    if settings.domain != site["domain"]:
        raise ImportRefused(
            f"the Lemmy instance is {site['domain']}: set AGORA_HOSTNAME={site['domain']} (every ActivityPub id"
            " carries the hostname, so the instance keeps it)"
        )
    if not await session.scalar(select(exists().where(Site.id.is_not(None)))):
        # No site yet: a new database, or a first run stopped within the instances (copied before sites).
        return bool(await session.scalar(select(exists().where(Instance.id.is_not(None)))))
    same = await session.scalar(select(exists().where(Site.public_key == site["public_key"])))
    if not same:
        raise ImportRefused(
            "the Agora database is not empty: import into a new one (made by `agora migrate`, never served)"
        )
    return True


async def run(settings: Settings, source_url: str, *, batch: int = 5000, watcher: Watcher | None = None) -> Report:
    """Copy every table (continuing an earlier run), then set sequences, rows Agora adds, and every count."""
    watch = watcher or Quiet()
    report = Report()
    source = await _open_source(source_url)
    db = open_database(settings, pool_size=2, application_name="agora-import")
    try:
        async with source.transaction(isolation="repeatable_read", readonly=True):
            site = await _lemmy_site(source)
            async with db.read() as session:
                report.resumed = await _is_resume(session, settings, site)
            for copy in TABLES:
                await _copy(source, db, copy, batch, watch, report)
        await _finish(db, settings)
    finally:
        await db.dispose()
        await source.close()
    watch.table("counts", 0, 0)
    tally = await recounts.run(
        settings, repair_counts=True, batch_size=10_000, progress=lambda *_: None, found=lambda _: None
    )
    report.recounted = sum(tally.changed.values())
    await _controversy(settings)
    return report


async def _controversy(settings: Settings) -> None:
    """The controversy ranks, from the vote counts just recounted (votes keep them from then on)."""
    db = open_database(settings, pool_size=1, application_name="agora-import")
    try:
        async with db.write() as session:
            for table in (Post.__table__, Comment.__table__):
                up, down = table.c.upvotes, table.c.downvotes
                rank = ranking.controversy_rank_sql(up, down)
                await session.execute(update(table).where(up > 0, down > 0).values(controversy_rank=rank))
    finally:
        await db.dispose()


async def _copy(
    source: asyncpg.Connection, db: Database, copy: copying.TableCopy, batch: int, watch: Watcher, report: Report
) -> None:
    async with db.read() as session:
        done = await copying.target_count(session, copy)
    watch.table(copy.source, await copying.source_count(source, copy), done)
    outcome = await copying.run(source, db, copy, batch=batch, progress=lambda n: watch.rows(copy.source, n))
    report.copied[copy.source] = outcome.copied
    if outcome.skipped:
        report.skipped[copy.source] = outcome.skipped


async def _finish(db: Database, settings: Settings) -> None:
    """What Agora keeps beyond Lemmy's rows: fresh id sequences, the site's rate limits (when Lemmy had none),
    this instance's software name, and each post's newest comment time (the Active sort)."""
    async with db.write() as session:
        for table in KEPT_IDS:
            await copying.reset_sequence(session, table)
        local_site_id = await session.scalar(select(LocalSite.id).order_by(LocalSite.id).limit(1))
        has_limits = await session.scalar(select(exists().where(LocalSiteRateLimit.local_site_id == local_site_id)))
        if local_site_id is not None and not has_limits:
            session.add(LocalSiteRateLimit(local_site_id=local_site_id))
        await session.execute(update(Instance).where(Instance.domain == settings.domain).values(software="agora"))
        newest = (
            select(Comment.published)
            .where(Comment.post_id == Post.id)
            .order_by(Comment.published.desc())
            .limit(1)
            .scalar_subquery()
        )
        await session.execute(
            update(Post)
            .where(exists().where(Comment.post_id == Post.id))
            .values(newest_comment_time=newest, newest_comment_time_necro=newest)
        )
    async with db.write() as session:
        # Fresh statistics for the planner: the recount that follows joins the tables just filled.
        await session.execute(text("ANALYZE"))


async def counts(settings: Settings, source_url: str) -> list[Count]:
    """Rows per Lemmy table against the rows they became in Agora (`--check`)."""
    source = await _open_source(source_url)
    db = open_database(settings, pool_size=2, application_name="agora-import")
    try:
        async with source.transaction(isolation="repeatable_read", readonly=True):
            await _lemmy_site(source)
            found = []
            for copy in TABLES:
                async with db.read() as session:
                    in_agora = await copying.target_count(session, copy)
                in_lemmy = await copying.source_count(source, copy)
                skipped = await copying.skipped_count(source, copy)
                found.append(Count(copy.source, copy.target, in_lemmy, skipped, in_agora))
            return found
    finally:
        await db.dispose()
        await source.close()
