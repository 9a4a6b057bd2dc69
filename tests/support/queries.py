"""Counting the SQL statements a request runs, through SQLAlchemy's engine events."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import event


class QueryCounter:
    """The statements the request itself runs: the background workers' (federation queue and inbox, tasks named
    "agora-…") poll on their own schedule and are left out."""

    def __init__(self, server) -> None:
        db = server.state.db
        self.engines = {db.reader.sync_engine, db.writer.sync_engine}
        self.statements: list[str] = []
        self.lock = threading.Lock()

    def _seen(self, _conn, _cursor, statement: str, *_args) -> None:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # no loop running in this thread
            task = None
        if task is not None and task.get_name().startswith("agora-"):
            return
        with self.lock:
            self.statements.append(" ".join(statement.split())[:160])

    def __enter__(self) -> QueryCounter:
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._seen)
