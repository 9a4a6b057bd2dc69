"""A background loop that a process runs while it serves: started once, stopped by cancelling it and waiting."""

from __future__ import annotations

import asyncio
import contextlib


class BackgroundLoop:
    """Subclasses name their task (`TASK_NAME`) and write `_loop`; `stop` returns once the loop has ended."""

    TASK_NAME = "agora-loop"
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self.TASK_NAME)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        raise NotImplementedError
