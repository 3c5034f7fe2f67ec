"""The run queue as a worker sees it (Postgres only): one connection that claims runs and holds
each claimed run's session advisory lock until the run is released, one that LISTENs for newly
queued runs. The SQL functions (sync_claim_next_run, sync_recover_runs, sync_retry_run) hold the
rules; this class only calls them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from types import TracebackType
from typing import Any
from uuid import UUID

import psycopg

CHANNEL = "ai_sync_runs"
"""sync_queue_run NOTIFYs here."""

ConnectionLost = psycopg.OperationalError
"""What a lost database connection raises (from the queue, or from a PostgresStore)."""


class RunQueue:
    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._control: psycopg.AsyncConnection[Any] | None = None
        self._listener: psycopg.AsyncConnection[Any] | None = None
        self._listening: asyncio.Task[None] | None = None

    async def open(self, on_notify: Callable[[], None]) -> RunQueue:
        """Connects and LISTENs; `on_notify` is called for each notification."""
        try:
            self._control = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            self._listener = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            await self._listener.execute(f"listen {CHANNEL}")
        except BaseException:
            await self.close()
            raise
        self._listening = asyncio.create_task(self._listen(self._listener, on_notify))
        return self

    async def close(self) -> None:
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(BaseException):
                await self._listening
        for conn in (self._listener, self._control):
            if conn is not None:
                await conn.close()

    async def __aenter__(self) -> RunQueue:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @staticmethod
    async def _listen(
        listener: psycopg.AsyncConnection[Any], on_notify: Callable[[], None]
    ) -> None:
        async for _ in listener.notifies():
            on_notify()

    def check_listening(self) -> None:
        """Raises ConnectionLost when the LISTEN connection broke (start over)."""
        if self._listening is None or self._listening.done():
            raise ConnectionLost("the LISTEN connection was lost")

    @property
    def _conn(self) -> psycopg.AsyncConnection[Any]:
        assert self._control is not None, "RunQueue used before open()"
        return self._control

    async def recover(self, stuck_after_seconds: float) -> list[dict[str, Any]]:
        """Fails runs 'running' past `stuck_after_seconds` whose lock nobody holds and queues a
        fresh run for each; answers [{"failed": id, "queued": id}, ...]."""
        cursor = await self._conn.execute(
            "select public.sync_recover_runs(make_interval(secs => %s))", (stuck_after_seconds,)
        )
        row = await cursor.fetchone()
        return list((row[0] if row else None) or [])

    async def claim_next(self, worker_name: str) -> dict[str, Any] | None:
        """Claims the oldest queued run and takes its advisory lock, held until release()."""
        async with self._conn.transaction():
            cursor = await self._conn.execute(
                "select public.sync_claim_next_run(%s)", (worker_name,)
            )
            row = await cursor.fetchone()
            claimed: dict[str, Any] | None = row[0] if row else None
            if claimed is not None:
                await self._conn.execute(
                    "select pg_advisory_lock(public.sync_run_lock_key(%s))", (claimed["id"],)
                )
        return claimed

    async def release(self, run_id: UUID) -> None:
        await self._conn.execute(
            "select pg_advisory_unlock(public.sync_run_lock_key(%s))", (str(run_id),)
        )

    async def retry(self, run_id: UUID, reason: str) -> str | None:
        """Queues a fresh run in place of `run_id`; answers the new run's id."""
        cursor = await self._conn.execute(
            "select public.sync_retry_run(%s, %s)", (str(run_id), reason)
        )
        row = await cursor.fetchone()
        return str(row[0]) if row and row[0] is not None else None
