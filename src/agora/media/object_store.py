"""Image files in an S3-compatible bucket (AGORA_MEDIA_URL=s3://BUCKET/PREFIX), through aioboto3.

Each file is one object, `PREFIX/NAME`, written by a single PUT (whole or not at all) with its content type and
the immutable cache header, so a bucket or CDN serving them at AGORA_MEDIA_PUBLIC_URL sends what Agora would.
Agora serves a file by a redirect to that public address when it has one and the site is public; otherwise it
reads the object and streams it on, with the object's ETag and Last-Modified and the request's Range passed
through, as the local store's FileResponse sends them.

A store that cannot be reached, refuses the credentials or has no such bucket is the operator's to fix, not the
member's: an upload or a read answers 503 service_unavailable ("the media store is unavailable") and the cause
is logged. Deletes run in the background once the caller's transaction has committed; one that fails is logged
and leaves an unreferenced object (the row is gone, so no page links it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from datetime import UTC
from email.utils import format_datetime
from typing import Any

import aioboto3
from aiobotocore.config import AioConfig
from botocore.exceptions import BotoCoreError, ClientError
from starlette.responses import RedirectResponse, Response, StreamingResponse

from agora.config import Settings
from agora.errors import AgoraError, Code
from agora.media import storage

log = logging.getLogger("agora.media")
IMMUTABLE = "public, max-age=31536000, immutable"
CHUNK_BYTES = 64 * 1024
CLOSE_WAIT_SECONDS = 10.0
UNAVAILABLE = "the media store is unavailable; try again later"
_MISSING = {"NoSuchKey", "404", "NotFound"}
_STORE_ERRORS = (BotoCoreError, ClientError, OSError, asyncio.TimeoutError)


class S3Store:
    """One bucket and key prefix, one S3 client for the process (opened at first use, closed by `aclose`)."""

    def __init__(
        self,
        bucket: str,
        prefix: str,
        *,
        session: aioboto3.Session,
        client_options: dict[str, Any],
        public_url: str | None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.public_url = public_url
        self._session = session
        self._client_options = client_options
        self._client: Any = None
        self._opening = asyncio.Lock()
        self._exit = contextlib.AsyncExitStack()
        self._deleting: set[asyncio.Task[None]] = set()

    @classmethod
    def for_settings(cls, settings: Settings) -> S3Store:
        """Credentials: AGORA_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY when set, else whatever boto3 finds (the
        AWS_* variables, ~/.aws, an instance role). Short timeouts and few retries: a member waits on them."""
        secret = settings.s3_secret_access_key
        session = aioboto3.Session(
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret is not None else None,
            region_name=settings.s3_region,
        )
        config = AioConfig(
            connect_timeout=5,
            read_timeout=30,
            retries={"total_max_attempts": 2, "mode": "standard"},  # one retry, after at most 1 s
            s3={"addressing_style": settings.s3_addressing_style},
            # checksums only where S3 asks for them: many S3-compatible stores refuse AWS's newer default ones
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        bucket, prefix = settings.media_bucket
        options = {"endpoint_url": settings.s3_endpoint_url, "config": config}
        return cls(bucket, prefix, session=session, client_options=options, public_url=settings.media_public_url)

    def new_name(self, extension: str) -> str:
        return storage.new_name(extension)

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    async def put(self, name: str, data: bytes) -> None:
        client = await self._s3()
        try:
            await client.put_object(
                Bucket=self.bucket,
                Key=self.key(name),
                Body=data,
                ContentType=storage.content_type(name),
                CacheControl=IMMUTABLE,
            )
        except _STORE_ERRORS as error:
            raise _unavailable("storing", name, error) from error

    def forget(self, names: tuple[str, ...]) -> None:
        """Delete in a task of its own: the caller (an after-commit hook, an error path) cannot wait."""
        task = asyncio.get_running_loop().create_task(self._forget(names), name="agora-media-delete")
        self._deleting.add(task)  # held until done: the loop keeps only weak references to tasks
        task.add_done_callback(self._deleting.discard)

    async def _forget(self, names: tuple[str, ...]) -> None:
        for name in names:
            try:
                client = await self._s3()
                await client.delete_object(Bucket=self.bucket, Key=self.key(name))
            except _STORE_ERRORS as error:
                log.warning("media object %s not deleted: %s", self.key(name), error)

    async def respond(
        self, name: str, headers: Mapping[str, str], *, byte_range: str | None, may_redirect: bool
    ) -> Response:
        if not storage.valid(name):
            return Response(status_code=404)
        if self.public_url is not None and may_redirect:
            return RedirectResponse(f"{self.public_url}/{name}", status_code=302, headers=dict(headers))
        client = await self._s3()
        request: dict[str, Any] = {"Bucket": self.bucket, "Key": self.key(name)}
        if byte_range:
            request["Range"] = byte_range
        try:
            found = await client.get_object(**request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in _MISSING:
                return Response(status_code=404)  # an empty body, as the local store answers
            if code == "InvalidRange":
                return Response(status_code=416)
            raise _unavailable("reading", name, error) from error
        except _STORE_ERRORS as error:
            raise _unavailable("reading", name, error) from error
        body = found["Body"]
        sent = {
            **headers,
            "content-length": str(found["ContentLength"]),
            "accept-ranges": "bytes",
            "last-modified": format_datetime(found["LastModified"].astimezone(UTC), usegmt=True),
        }
        if found.get("ETag"):
            sent["etag"] = found["ETag"]
        if found.get("ContentRange"):
            sent["content-range"] = found["ContentRange"]
        status = 206 if found.get("ContentRange") else 200
        return StreamingResponse(
            _chunks(body),
            status_code=status,
            media_type=storage.content_type(name),
            headers=sent,
        )

    async def check(self) -> None:
        client = await self._s3()
        try:
            await client.head_bucket(Bucket=self.bucket)
        except _STORE_ERRORS as error:
            raise _unavailable("checking", self.bucket, error) from error

    async def aclose(self) -> None:
        """Wait a little for deletes under way, then close the client."""
        if self._deleting:
            await asyncio.wait(set(self._deleting), timeout=CLOSE_WAIT_SECONDS)
        await self._exit.aclose()
        self._client = None

    async def _s3(self) -> Any:
        if self._client is None:
            async with self._opening:
                if self._client is None:
                    client = self._session.client("s3", **self._client_options)
                    self._client = await self._exit.enter_async_context(client)
        return self._client


async def _chunks(body: Any) -> AsyncIterator[bytes]:
    try:
        async for chunk in body.iter_chunks(CHUNK_BYTES):
            yield chunk
    finally:
        body.close()


def _unavailable(doing: str, name: str, error: BaseException) -> AgoraError:
    log.error("media store: %s %s failed: %r", doing, name, error)
    return AgoraError(Code.service_unavailable, UNAVAILABLE, status=503)
