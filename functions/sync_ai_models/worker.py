"""The worker: serves the run queue in ai_sync_runs, so that pg_cron (or anything that calls
sync_queue_run) only has to queue a run. Any number of workers may serve one database.

- It LISTENs on channel `ai_sync_runs` (sync_queue_run NOTIFYs there) and also polls, so a lost
  notification costs at most one poll interval.
- It claims the oldest queued run with sync_claim_next_run (FOR UPDATE SKIP LOCKED; the run is
  'running' at once) and, in the same transaction, takes the run's session advisory lock, which
  it holds until the run is finished. The lock dies with the worker's connection.
- Before each claim it recovers runs 'running' past `stuck_after` whose lock nobody holds (their
  worker died): sync_recover_runs fails them and queues a fresh run for each.
- `stop()` (SIGTERM, SIGINT) claims nothing more and lets the current run finish; a second
  `stop()`, or the end of the shutdown grace, cancels it: the run is failed and a fresh one is
  queued, so a claimed run is never lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx

from ai_catalog.errors import StoreError, SyncError
from ai_catalog.store.base import CatalogStore
from ai_catalog.store.run_queue import CHANNEL, ConnectionLost, RunQueue
from sync_ai_models.notify import notify_run
from sync_ai_models.runner import RunOutcome, SyncRequest, run_sync

log = logging.getLogger("sync_ai_models.worker")

Notifier = Callable[[RunOutcome, Mapping[str, str], httpx.AsyncClient], Awaitable[None]]


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class WorkerOptions:
    name: str
    """Recorded as the run's claimed_by."""
    poll_seconds: float = 30.0
    """Look at the queue at least this often, notification or not."""
    stuck_after_seconds: float = 900.0
    """A run 'running' this long with no live worker holding it is failed and queued again."""
    shutdown_grace_seconds: float | None = None
    """After stop(), how long the current run may go on before it is cut short (None: no limit)."""
    max_deactivate_share: float = 0.5
    drain: bool = False
    """Exit when the queue is empty instead of waiting for more (for a system scheduler)."""


class Worker:
    def __init__(
        self,
        conninfo: str,
        store: CatalogStore,
        *,
        env: Mapping[str, str],
        client: httpx.AsyncClient,
        options: WorkerOptions,
        notify: Notifier = notify_run,
    ) -> None:
        self._conninfo = conninfo
        self._store = store
        self._env = env
        self._client = client
        self.options = options
        self._notify = notify
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._aborting = asyncio.Event()
        self.processed = 0

    def stop(self) -> None:
        """First call: finish the current run, then exit. Second call: cut the run short."""
        if self._stopping.is_set():
            log.warning("worker %s: stopping now, cutting the current run short", self.options.name)
            self._aborting.set()
            return
        log.info("worker %s: stopping after the current run", self.options.name)
        self._stopping.set()
        self._wake.set()
        grace = self.options.shutdown_grace_seconds
        if grace is not None:
            asyncio.get_running_loop().call_later(grace, self._aborting.set)

    async def run(self) -> int:
        """Serves the queue until stop() (or, with drain, until it is empty); answers the number
        of runs processed. A lost connection is reopened after a pause."""
        while not self._stopping.is_set():
            try:
                await self._serve()
                return self.processed
            except ConnectionLost as exc:
                log.warning("worker %s: database connection lost (%s)", self.options.name, exc)
                await self._sleep(min(self.options.poll_seconds, 5.0))
        return self.processed

    async def _serve(self) -> None:
        async with await RunQueue(self._conninfo).open(on_notify=self._wake.set) as queue:
            log.info("worker %s: listening on %s", self.options.name, CHANNEL)
            while not self._stopping.is_set():
                queue.check_listening()  # its connection broke: start over
                await self._recover(queue)
                self._wake.clear()
                claimed = await queue.claim_next(self.options.name)
                if claimed is not None:
                    await self._process(queue, claimed)
                elif self.options.drain:
                    return
                else:
                    await self._sleep(self.options.poll_seconds)

    async def _sleep(self, seconds: float) -> None:
        """Until a notification, stop() or the timeout."""
        if self._stopping.is_set():  # stop() may have come while _wake was being cleared
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    async def _recover(self, queue: RunQueue) -> None:
        for item in await queue.recover(self.options.stuck_after_seconds):
            log.warning(
                "worker %s: run %s had no live worker; failed it and queued run %s",
                self.options.name,
                item["failed"],
                item["queued"],
            )

    async def _process(self, queue: RunQueue, claimed: dict[str, Any]) -> None:
        run_id = UUID(claimed["id"])
        request = SyncRequest(
            providers=claimed.get("providers"),
            dry_run=bool(claimed.get("dry_run")),
            force=bool(claimed.get("force")),
            run_id=run_id,
        )
        log.info("worker %s: claimed run %s", self.options.name, run_id)
        outcome: RunOutcome | None = None
        try:
            outcome = await self._run_until_done_or_aborted(queue, run_id, request)
        except Exception as exc:
            log.exception("worker %s: run %s failed", self.options.name, run_id)
            # e.g. an unknown provider in a queued run: fail it, or recovery would retry it forever
            # (if the database is gone too, recovery takes the run once the lock is released)
            with contextlib.suppress(SyncError):
                await self._store.finish_run(run_id, [], error=f"worker: {exc}")
        finally:
            self.processed += 1
            await queue.release(run_id)
        if outcome is not None:
            await self._notify(outcome, self._env, self._client)

    async def _run_until_done_or_aborted(
        self, queue: RunQueue, run_id: UUID, request: SyncRequest
    ) -> RunOutcome | None:
        task = asyncio.create_task(
            run_sync(
                self._store,
                request,
                env=self._env,
                client=self._client,
                trigger="worker",
                requested_by=self.options.name,
                max_deactivate_share=self.options.max_deactivate_share,
                claimed=True,
            )
        )
        aborting = asyncio.create_task(self._aborting.wait())
        try:
            await asyncio.wait({task, aborting}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            aborting.cancel()
        if task.done():
            return task.result()
        task.cancel()  # the runner fails the run row on its way out
        await asyncio.wait({task})
        await self._requeue_cut_short(queue, run_id)
        return None

    async def _requeue_cut_short(self, queue: RunQueue, run_id: UUID) -> None:
        with contextlib.suppress(StoreError):  # already failed by the runner: nothing to do
            await self._store.finish_run(run_id, [], error="worker shut down during the run")
        queued = await queue.retry(
            run_id, f"retry of {run_id} (worker {self.options.name} shut down)"
        )
        log.warning(
            "worker %s: run %s cut short by shutdown; queued run %s",
            self.options.name,
            run_id,
            queued or "?",
        )
