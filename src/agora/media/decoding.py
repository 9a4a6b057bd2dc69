"""Images are decoded and re-encoded in a worker process of their own, one per image, with limits on its CPU time
and memory; the event loop only ships bytes.

Why a fresh process per image (media/image_worker.py) rather than a pool of long-lived workers: a job past its
limit is simply killed (SIGXCPU, then SIGKILL; or MemoryError) and nothing needs replacing or repairing, every job
starts with its whole CPU and memory allowance, and whatever a hostile file does to a decoder ends with its
process, before the next member's image is read. The price is one interpreter start per image, small next to
decoding a photo. A `multiprocessing` pool would start faster, but its helper re-imports the server's `__main__`,
a dead worker breaks a ProcessPoolExecutor for every job in it, and answers come back as pickles, which a
compromised decoder could turn against the server.

The worker answers one JSON line, then the bytes it announced; the server checks that and trusts nothing else.
At most `image_workers` jobs run at a time, so simultaneous uploads cannot take every core; a job that waits too
long for its turn is answered 503. A job killed by a limit is answered 413 `too_large`, before anything is stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from dataclasses import dataclass

from agora.config import Settings
from agora.errors import AgoraError, Code
from agora.media.images import FORMATS, Processed

log = logging.getLogger("agora.media")
HEADER_MAX_BYTES = 4096
QUEUE_WAIT_SECONDS = 30.0
_ANSWERED = {Code.not_an_image_type, Code.too_large}  # the codes a worker may answer with
_TYPES = set(FORMATS.values())


@dataclass(frozen=True, slots=True)
class Limits:
    cpu_seconds: int  # RLIMIT_CPU of the worker: SIGXCPU at this many seconds of CPU, SIGKILL one later
    memory_bytes: int  # RLIMIT_AS of the worker: allocations past it fail (MemoryError)
    output_bytes: int  # the most the worker may answer (the re-encoded image and its thumbnail)

    @property
    def wall_seconds(self) -> float:
        """A worker that neither finishes nor uses its CPU (waiting on a busy machine, stopped) is killed after."""
        return 3.0 * self.cpu_seconds + 5.0


class Decoder:
    """Runs media.images.process in bounded worker processes, `workers` at a time."""

    def __init__(self, limits: Limits, workers: int) -> None:
        self.limits = limits
        self._turns = asyncio.Semaphore(workers)

    @classmethod
    def for_settings(cls, settings: Settings) -> Decoder:
        limits = Limits(
            cpu_seconds=settings.image_cpu_seconds,
            memory_bytes=settings.image_memory_mb * 1024 * 1024,
            output_bytes=4 * settings.max_upload_bytes + (1 << 20),  # a re-encoded GIF can outgrow its source
        )
        return cls(limits, settings.image_workers)

    async def process(self, raw: bytes) -> Processed:
        try:
            await asyncio.wait_for(self._turns.acquire(), QUEUE_WAIT_SECONDS)
        except TimeoutError as error:
            raise AgoraError(Code.service_unavailable, "too many images are being processed; try again") from error
        try:
            return await self._run(raw)
        finally:
            self._turns.release()

    async def _run(self, raw: bytes) -> Processed:
        limits = self.limits
        try:  # -P: nothing is imported from the working directory
            worker = await asyncio.create_subprocess_exec(
                sys.executable,
                "-P",
                "-m",
                "agora.media.image_worker",
                str(limits.cpu_seconds),
                str(limits.memory_bytes),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
        except OSError as error:  # no more processes or memory for one
            log.warning("no image worker could be started: %s", error)
            raise AgoraError(Code.service_unavailable, "images cannot be processed right now") from error
        try:
            async with asyncio.timeout(limits.wall_seconds):
                answer = await _exchange(worker, raw, limits.output_bytes)
                returncode = await worker.wait()
        except TimeoutError:
            log.warning("image worker %s killed after %.0f s", worker.pid, limits.wall_seconds)
            raise _too_much_work() from None
        finally:
            if worker.returncode is None:
                worker.kill()  # reaped by asyncio's child watcher
        if answer is None or returncode != 0:
            if returncode < 0:
                log.warning("image worker %s ended by %s", worker.pid, signal.Signals(-returncode).name)
            raise _too_much_work()
        return _parse(answer)


async def _exchange(worker: asyncio.subprocess.Process, raw: bytes, cap: int) -> bytes | None:
    """Send the image, read the answer (at most `cap` bytes); None if the worker died on the way."""
    assert worker.stdin is not None and worker.stdout is not None
    try:
        worker.stdin.write(raw)
        await worker.stdin.drain()
        worker.stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        return None
    answer = bytearray()
    while chunk := await worker.stdout.read(1 << 20):
        answer += chunk
        if len(answer) > cap:
            worker.kill()
            raise AgoraError(Code.too_large, "the re-encoded image would be too large")
    return bytes(answer)


def _parse(answer: bytes) -> Processed:
    """The worker's answer, checked field by field: a worker is only as trustworthy as the decoder it ran."""
    line, newline, _ = answer[:HEADER_MAX_BYTES].partition(b"\n")
    try:
        if not newline:
            raise ValueError("no header line")
        header = json.loads(line)
        body = answer[len(line) + 1 :]
        if "error" in header:
            code = Code(header["error"])
            if code not in _ANSWERED:
                raise ValueError(f"unexpected code {code}")
            raise AgoraError(code, str(header.get("message") or code.value)[:300])
        sizes = (int(header["data"]), int(header["thumbnail"]))
        kind = (str(header["extension"]), str(header["content_type"]))
        width, height = int(header["width"]), int(header["height"])
        if kind not in _TYPES or min(sizes) < 1 or sum(sizes) != len(body) or min(width, height) < 1:
            raise ValueError("inconsistent header")
    except (ValueError, KeyError, TypeError) as error:
        log.warning("image worker answered nonsense: %s", error)
        raise _too_much_work() from error
    return Processed(body[: sizes[0]], kind[0], kind[1], width, height, body[sizes[0] :])


def _too_much_work() -> AgoraError:
    return AgoraError(Code.too_large, "the image needs more work to decode than Agora allows")
