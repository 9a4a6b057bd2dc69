"""A real S3 API on loopback (moto's server, spoken to over HTTP) and a look into its buckets from the test side."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import boto3
from moto.server import ThreadedMotoServer

from tests.conftest import free_port

KEY_ID, SECRET = "agora-test-key", "agora-test-secret"


@dataclass
class S3:
    endpoint: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
            region_name="us-east-1",
        )

    def new_bucket(self) -> str:
        name = f"agora-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def settings(self, bucket: str, prefix: str = "media", **overrides) -> dict:
        """A server's settings overrides for keeping its media in `bucket` under `prefix`."""
        return {
            "media_url": f"s3://{bucket}/{prefix}",
            "s3_endpoint_url": self.endpoint,
            "s3_access_key_id": KEY_ID,
            "s3_secret_access_key": SECRET,
            "s3_region": "us-east-1",
            **overrides,
        }

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def body(self, bucket: str, key: str) -> tuple[bytes, dict]:
        found = self.client().get_object(Bucket=bucket, Key=key)
        return found["Body"].read(), found

    def wait_for_keys(self, bucket: str, expected: list[str], timeout: float = 10.0) -> list[str]:
        """The bucket's keys once they are `expected` (deletes run just after the commit), or what they were."""
        deadline = time.monotonic() + timeout
        while (keys := self.keys(bucket)) != expected and time.monotonic() < deadline:
            time.sleep(0.05)
        return keys


@contextmanager
def running_s3() -> Iterator[S3]:
    """moto's S3 server on a free loopback port, for as long as the block runs."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield S3(f"http://127.0.0.1:{port}")
    finally:
        server.stop()
