"""Instance configuration, read from AGORA_* environment variables.

Secrets (the JWT key, the instance key pair) are not configuration: they are generated once and kept in the
database, so a restart or a second process on the same database agrees on them.
"""

from __future__ import annotations

import ipaddress
from functools import cached_property
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AGORA_VERSION = "0.1.0"
# The Lemmy release whose HTTP API v3 Agora serves. Clients pick their code path from this (header auth from
# 0.19.0 on), so it goes out as the semver core of the version string; Agora's own release rides in build metadata.
LEMMY_API_VERSION = "0.19.13"
SERVED_VERSION = f"{LEMMY_API_VERSION}+agora.{AGORA_VERSION}"


def served_hostname(host: str, port: int) -> str:
    """The hostname a server listening on host:port calls itself when AGORA_HOSTNAME is not set."""
    name = host.strip("[]")
    if name in ("", "0.0.0.0", "::") or _is_loopback_host(name):
        name = "localhost"
    elif ":" in name:
        name = f"[{name}]"
    return f"{name}:{port}".lower()


def _is_loopback_host(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.strip("[]")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Everything an admin can set; `agora --help` lists the variables."""

    model_config = SettingsConfigDict(env_prefix="AGORA_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        "development", description="production refuses settings that are only safe in tests"
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///./agora.db",
        description="sqlite+aiosqlite:///PATH (default ./agora.db) or postgresql+asyncpg://user@host/db",
    )
    database_replica_urls: str = Field(
        "",
        description="comma-separated postgresql+asyncpg:// URLs of streaming replicas: anonymous page and API reads"
        " go to them, members and every write stay on the primary (docs/performance.md)",
    )
    database_replica_max_lag_seconds: float = Field(
        5.0, gt=0, le=3600, description="a replica further behind the primary than this is skipped"
    )
    hostname: str = Field("localhost:8536", description="public host[:port] used in every object's URL")
    https: bool | None = Field(None, description="public URLs use https; default: on unless the hostname is loopback")
    media_dir: str = Field("./media", description="where uploaded images and thumbnails are stored")
    media_url: str | None = Field(
        None,
        description="s3://BUCKET/PREFIX: keep uploaded images and thumbnails in that S3-compatible bucket instead of"
        " AGORA_MEDIA_DIR",
    )
    media_public_url: str | None = Field(
        None,
        description="the public address of AGORA_MEDIA_URL's prefix (https://cdn.example/prefix): images are then"
        " served by a redirect there; unset, Agora reads them from the bucket and sends them itself",
    )
    s3_endpoint_url: str | None = Field(
        None, description="the S3 API's address for a store other than AWS (http://127.0.0.1:9000 for MinIO)"
    )
    s3_region: str | None = Field(None, description="the bucket's region (unset: AWS_DEFAULT_REGION, else us-east-1)")
    s3_access_key_id: str | None = Field(None, description="unset: the AWS_* variables and files boto3 reads")
    s3_secret_access_key: SecretStr | None = Field(None, description="goes with AGORA_S3_ACCESS_KEY_ID")
    s3_addressing_style: Literal["auto", "path", "virtual"] = Field(
        "auto", description="bucket in the path (most self-hosted stores) or in the host name (AWS)"
    )
    federation_debug: bool = Field(
        False, description="allow plain http, loopback and private addresses for federation and link previews"
    )
    federation_workers: bool = Field(True, description="apply received activities and deliver ours in this process")
    federation_poll_seconds: float = Field(1.0, gt=0, le=60, description="how often idle federation workers look")
    federation_fetch_limit: int = Field(30, ge=1, le=1000, description="remote fetches allowed per received activity")
    federation_inbox_max_bytes: int = Field(512 * 1024, ge=1024, description="largest activity the inbox accepts")
    federation_retry_max_seconds: float = Field(3600, gt=0, description="longest wait between two delivery tries")
    federation_dead_after_days: float = Field(3, gt=0, description="an instance failing this long is marked dead")
    federation_actor_refresh_seconds: int = Field(86400, ge=1, description="remote actors older are refetched")
    db_pool_size: int = Field(10, ge=1, le=200, description="database connections per process (PostgreSQL)")
    # Each reader is a thread of aiosqlite's, and they contend for the GIL with the event loop: on the medium set,
    # 4 readers cost 2.3-2.9 ms of CPU per front page, 2 cost 1.9-2.2, 1 cost 1.6. Two keep a read going while
    # another waits on a slow query.
    sqlite_readers: int = Field(2, ge=1, le=64, description="read connections per process (SQLite)")
    argon2_time_cost: int = Field(3, ge=1, le=20)
    argon2_memory_kib: int = Field(65536, ge=8, le=4 * 1024 * 1024)
    argon2_parallelism: int = Field(2, ge=1, le=16)
    rate_limits_enabled: bool = Field(True, description="enforce the site's per-IP rate limits")
    redis_url: str | None = Field(
        None,
        description="a Redis every server process shares (redis://host:6379/0): rate limits count across all of"
        " them; without it each process counts its own",
    )
    scheduler_enabled: bool = Field(True, description="run periodic jobs (ranks, ban expiry, cleanup)")
    rank_refresh_seconds: int = Field(600, ge=1, description="how often hot/active/scaled ranks are recomputed")
    hot_reads: bool = Field(
        True, description="answer the busiest API reads by plain routes ahead of FastAPI's (docs/performance.md)"
    )
    anonymous_cache_seconds: float = Field(
        1.0, ge=0, le=60, description="how long an anonymous API read is served from memory (0: never)"
    )
    settings_cache_seconds: float = Field(
        5.0,
        ge=0,
        le=300,
        description="how long a process keeps the site's settings and the web pages' chrome between reads; its own"
        " writes show at once (0: read them on every request)",
    )
    viewer_cache_seconds: float = Field(
        5.0,
        ge=0,
        le=300,
        description="how long a process may keep a member's account, follows and blocks between reads; each read"
        " checks them against the database's viewer versions first (0: read them on every request)",
    )
    log_level: str = Field("info")
    log_format: Literal["text", "json"] = Field(
        "text", description="text: lines for people; json: one JSON object per line, with the request id"
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="bearer token that opens /metrics to other hosts than loopback (unset: loopback only)",
    )
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1024, description="largest accepted JSON/form body")
    max_upload_bytes: int = Field(10 * 1024 * 1024, ge=1024, description="largest accepted image upload")
    # Each image is decoded in a process of its own (media/decoding.py); these bound what one image can cost.
    image_workers: int = Field(
        1, ge=1, le=64, description="images one server process decodes at the same time, each in a worker process"
    )
    image_cpu_seconds: int = Field(
        15, ge=1, le=600, description="CPU seconds one image may take to decode and re-encode; past them: 413"
    )
    image_memory_mb: int = Field(1024, ge=256, le=65536, description="memory one image's worker process may use")

    @field_validator("database_url")
    @classmethod
    def _database_url_for_our_drivers(cls, value: str) -> str:
        """The URLs people paste (postgres://, postgresql://, sqlite:///) name our async drivers."""
        value = value.strip()
        scheme, sep, rest = value.partition("://")
        if not sep:
            raise ValueError(
                "AGORA_DATABASE_URL is a URL: sqlite+aiosqlite:///PATH or postgresql+asyncpg://user@host/db"
            )
        scheme = scheme.lower()
        if scheme in ("postgres", "postgresql", "postgresql+asyncpg"):
            return f"postgresql+asyncpg://{rest}"
        if scheme in ("sqlite", "sqlite+aiosqlite"):
            return f"sqlite+aiosqlite://{rest}"
        raise ValueError(
            f"AGORA_DATABASE_URL: unknown database {scheme!r}; use sqlite+aiosqlite:///PATH or"
            " postgresql+asyncpg://user@host/db (postgres:// and postgresql:// are read as the latter)"
        )

    @field_validator("database_replica_urls")
    @classmethod
    def _replicas_are_postgres(cls, value: str) -> str:
        urls = [url.strip() for url in value.split(",") if url.strip()]
        for url in urls:
            if url.partition("://")[0].lower() not in ("postgres", "postgresql", "postgresql+asyncpg"):
                raise ValueError(f"AGORA_DATABASE_REPLICA_URLS: {url!r} is not a postgresql:// URL")
        return ",".join(f"postgresql+asyncpg://{url.partition('://')[2]}" for url in urls)

    @field_validator("hostname")
    @classmethod
    def _hostname_is_bare(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if "://" in value or "/" in value or not value:
            raise ValueError("AGORA_HOSTNAME is a bare host[:port], without scheme or path")
        return value.lower()

    @field_validator("media_url")
    @classmethod
    def _media_url_names_a_bucket(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        scheme, sep, rest = value.strip().partition("://")
        bucket = rest.split("/", 1)[0]
        if not sep or scheme.lower() != "s3" or not bucket:
            raise ValueError("AGORA_MEDIA_URL is s3://BUCKET or s3://BUCKET/PREFIX")
        return f"s3://{rest.rstrip('/')}"

    @field_validator("media_public_url", "s3_endpoint_url")
    @classmethod
    def _http_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.lower().startswith(("http://", "https://")):
            raise ValueError("AGORA_MEDIA_PUBLIC_URL and AGORA_S3_ENDPOINT_URL are http:// or https:// addresses")
        return value

    @model_validator(mode="after")
    def _s3_keys_in_pairs(self) -> Settings:
        if (self.s3_access_key_id is None) != (self.s3_secret_access_key is None):
            raise ValueError("set both AGORA_S3_ACCESS_KEY_ID and AGORA_S3_SECRET_ACCESS_KEY, or neither")
        if self.media_public_url is not None and self.media_url is None:
            raise ValueError("AGORA_MEDIA_PUBLIC_URL is the public address of AGORA_MEDIA_URL: set that too")
        return self

    @property
    def media_bucket(self) -> tuple[str, str]:
        """AGORA_MEDIA_URL's bucket and key prefix ("" or ending in "/")."""
        assert self.media_url is not None
        bucket, _, prefix = self.media_url.removeprefix("s3://").partition("/")
        return bucket, f"{prefix}/" if prefix else ""

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if self.federation_debug:
                raise ValueError("AGORA_FEDERATION_DEBUG=1 is refused when AGORA_ENVIRONMENT=production")
            if not self.use_https:
                raise ValueError("production needs https public URLs (AGORA_HTTPS=1)")
        return self

    @model_validator(mode="after")
    def _replicas_need_postgres(self) -> Settings:
        if self.database_replica_urls and self.is_sqlite:
            raise ValueError("AGORA_DATABASE_REPLICA_URLS needs a PostgreSQL AGORA_DATABASE_URL")
        return self

    @property
    def replica_urls(self) -> list[str]:
        return [url for url in self.database_replica_urls.split(",") if url]

    @property
    def use_https(self) -> bool:
        if self.https is not None:
            return self.https
        return not _is_loopback_host(self.hostname)

    @cached_property
    def base_url(self) -> str:
        return f"{'https' if self.use_https else 'http'}://{self.hostname}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def domain(self) -> str:
        """The instance's domain as other servers see it (host[:port])."""
        return self.hostname
